"""The record format as callers read it (入力レコードの様式): each column's meaning, and the
rules that tie columns together, for the OpenAPI schema. The column types (fields.py) give
the type, format, pattern and maximum length; the README's table says the same for people.
"""

from __future__ import annotations

from typing import Any

_REGULAR = "required for `regular`"
_HOME = "required for `voluntary` and `special_retiree`"

#: What each column holds, with the rules that make it required.
COLUMNS: dict[str, str] = {
    "record_id": "Unique in a run; names the record in every error.",
    "employer_code": f"事業所 code; {_REGULAR}.",
    "employer_name": f"事業所名, at most 44 full-width characters in the window; {_REGULAR}.",
    "employer_postcode": f"事業所の郵便番号, NNN-NNNN or 7 digits; {_REGULAR}.",
    "employer_address": f"事業所の所在地, at most 79 full-width characters; {_REGULAR}.",
    "insured_symbol": "記号, 1–20 characters; with 番号 at most 25 characters.",
    "insured_number": "番号, 1–20 digits.",
    "branch_number": "枝番, 01–99 (a single digit is zero-padded).",
    "name": "氏名 (外字 kept as written), at most 25 full-width characters.",
    "name_kana": "フリガナ, kana only, at most 33 full-width characters.",
    "birth_date": "生年月日, YYYY-MM-DD.",
    "sex": "性別: 男/女 (also male/female, M/F, 1/2).",
    "relationship": "続柄: 本人 for the insured, else the dependent's relation (妻, 長女 …).",
    "insured_name": "被保険者氏名; required for dependents.",
    "acquired_date": "資格取得年月日, YYYY-MM-DD.",
    "standard_monthly_remuneration": "The insured's 標準報酬月額 in yen, below 10,000,000.",
    "membership": "資格の種別: regular, voluntary (任意継続), special_retiree (特例退職).",
    "voluntary_until": (
        "End of 任意継続, YYYY-MM-DD; voluntary only; default and at most 2 years "
        "from acquired_date."
    ),
    "home_postcode": f"自宅の郵便番号; {_HOME}.",
    "home_address": f"自宅住所, at most 79 full-width characters; {_HOME}.",
    "has_myna_card": "Whether the member has a マイナ保険証.",
    "certificate_requested": "資格確認書発行希望; default false.",
    "certificate_reason": "交付対象 A–G (RULES.md), or absent.",
    "base_income_applied": "基準収入額適用 (a 70–74 member reverted to 2割); default false.",
    "requested_document": "The document a reissue run produces; required by run kind reissue.",
    "insured_birth_date": (
        "被保険者の生年月日, YYYY-MM-DD; dependents only; required for a dependent who is "
        "70–74 on the issue date or before the 資格確認書 expires."
    ),
}


def describe(schema: dict[str, Any]) -> None:
    """Pydantic's hook: every column's description, titles dropped (the name says it), and
    no key stated for the individual number, which is accepted only to be discarded."""
    schema["additionalProperties"] = True
    for name, column in schema.get("properties", {}).items():
        column.pop("title", None)
        column["description"] = COLUMNS[name]
