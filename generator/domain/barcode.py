"""Japan Post's customer barcode (郵便カスタマバーコード) for address blocks.

Data: the postcode (7) and the 住所表示番号 (13, padded with CC4), then a check digit, between
start and stop codes: 67 bars, each character 3 bars of 4 kinds. Check digit: 0–9 count as
themselves, '-' as 10, CC1–CC8 as 11–18; it makes the sum of the 20 data characters and
itself a multiple of 19. Letters take two characters (A–J = CC1 + 0–9, K–T = CC2 + 0–9,
U–Z = CC3 + 0–5).
"""

from __future__ import annotations

import re
import unicodedata

DATA_LENGTH = 20
#: Bars: 1 long, 2 upper half (ascender), 3 lower half (descender), 4 timing (short).
PATTERNS: dict[str, str] = {
    "1": "114",
    "2": "132",
    "3": "312",
    "4": "123",
    "5": "141",
    "6": "321",
    "7": "213",
    "8": "231",
    "9": "411",
    "0": "144",
    "-": "414",
    "CC1": "324",
    "CC2": "342",
    "CC3": "234",
    "CC4": "432",
    "CC5": "243",
    "CC6": "423",
    "CC7": "441",
    "CC8": "111",
}
START, STOP = "13", "31"
_VALUES = {
    symbol: (10 if symbol == "-" else int(symbol) if symbol.isdigit() else 10 + int(symbol[2:]))
    for symbol in PATTERNS
}
_SYMBOLS = {value: symbol for symbol, value in _VALUES.items()}
_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十]+)(?=丁目|番地|番|号|地割)")
_DROPPED = re.compile(r"[&/・.]")
_HYPHENS = re.compile(r"[‐‑‒–—―−－ｰ]|(?<=[0-9])ー(?=[0-9])")


def _kanji_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (addresses stay below 100)."""
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def address_number(address: str) -> str:
    """The 住所表示番号 of an address: 「神保町一丁目2番3号」 → 1-2-3.

    Kanji numerals of 丁目・番地・号 become digits; & / ・ . are dropped; digits, '-' and
    single letters are kept; each run of anything else becomes one '-'.
    """
    text = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(1))), address)
    text = _HYPHENS.sub("-", unicodedata.normalize("NFKC", text).upper())
    text = _DROPPED.sub("", text)
    out: list[str] = []
    for index, char in enumerate(text):
        letter = "A" <= char <= "Z"
        single = letter and not (
            (index > 0 and "A" <= text[index - 1] <= "Z")
            or (index + 1 < len(text) and "A" <= text[index + 1] <= "Z")
        )
        out.append(char if (char.isdigit() and char.isascii()) or char == "-" or single else "-")
    return re.sub(r"-+", "-", "".join(out)).strip("-")


def _symbols_of(text: str) -> list[str]:
    symbols: list[str] = []
    for char in text:
        if char.isdigit() or char == "-":
            symbols.append(char)
        else:
            offset = ord(char) - ord("A")
            symbols += [f"CC{offset // 10 + 1}", str(offset % 10)]
    return symbols


def check_symbol(data: list[str]) -> str:
    """The check character for 20 data characters."""
    total = sum(_VALUES[s] for s in data)
    return _SYMBOLS[(19 - total % 19) % 19]


def barcode_symbols(postcode: str, address: str) -> list[str] | None:
    """The 21 characters (data and check) for an address; None when it yields no 住所表示番号."""
    number = address_number(address)
    if not re.search(r"[0-9]", number) or not re.fullmatch(r"[0-9]{7}", postcode):
        return None
    data = (list(postcode) + _symbols_of(number))[:DATA_LENGTH]
    data += ["CC4"] * (DATA_LENGTH - len(data))
    return [*data, check_symbol(data)]


def bars(symbols: list[str]) -> str:
    """The 67 bars, start and stop included, as a string of 1–4."""
    return START + "".join(PATTERNS[s] for s in symbols) + STOP
