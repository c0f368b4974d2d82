"""render/qr.py: the codes every notice shares stay encoded; each member's own do not pile up."""

from __future__ import annotations

from generator.render.qr import QR_CACHE, qr_png


def test_the_shared_code_is_encoded_once_and_members_codes_are_not_kept() -> None:
    """Notice after notice: a facility code of the member's own, then the マイナポータル code
    of the insurer, the order a chunk's contexts ask for them."""
    qr_png.cache_clear()
    try:
        for member in range(50):
            qr_png(f"https://facility.example/{member}")
            qr_png("https://myna.go.jp/")
        info = qr_png.cache_info()
        assert info.misses == 50 + 1  # each member's code, and the shared one once
        assert info.currsize <= QR_CACHE
    finally:
        qr_png.cache_clear()


def test_a_code_is_the_same_bytes_cached_or_not() -> None:
    qr_png.cache_clear()
    first = qr_png("https://myna.go.jp/")
    qr_png.cache_clear()
    assert qr_png("https://myna.go.jp/") == first
