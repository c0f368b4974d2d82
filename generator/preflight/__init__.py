"""Preflight (印刷前検査): a finished PDF checked as a print room would check it.

Read from the PDF alone (text positions and sizes, rules, images, page boxes, bookmarks),
never from the template, so it judges an insurer's own edit in Word as it judges ours:

- every page A4 or はがき; no text under 6 pt; wrapped lines not set solid (``rules.leading``);
- 禁則処理, no paragraph ending in a line of one or two characters, no date or number
  broken across lines; half-width or full-width digits, one per document (``typography``);
- a delivery's first page, its cover letter, shows the address in the 長形3号 window's safe
  area at 8 pt or more, the customer barcode with its clear zone;
- a card found by its crop marks (a はがき page is its own card) keeps text and images 2 mm
  inside its trim, nothing drawn on the trim line, the marks off its corners;
- in a delivery, every document (a bookmark below its member's) starts on the front of a
  sheet, an odd page, and the page count is even (duplex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.preflight import rules
from generator.preflight.pages import outline, read
from generator.preflight.rules import Violation
from generator.preflight.typography import digit_forms, digits, typography

__all__ = ["Report", "Violation", "preflight"]


@dataclass(slots=True)
class Report:
    """What preflight found in one PDF."""

    pages: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_json(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "ok": self.ok,
            "violations": [
                {
                    "rule": v.rule,
                    "page": v.page,
                    "where": v.where,
                    "measured": v.measured,
                    "limit": v.limit,
                }
                for v in self.violations
            ],
        }


def preflight(source: Path | bytes, *, window: bool = False) -> Report:
    """Check one PDF made by the generator (a single document or a delivery). ``window``:
    its first page is a cover letter for the window envelope, even outside a delivery."""
    marks = outline(source)
    # A delivery opens with its cover letter (and 送付者リスト) before the first member.
    delivery = bool(marks) and marks[0][2] > 1
    report = Report()
    counts: list[tuple[int, int, int]] = []
    for page in read(source):
        report.pages = page.number
        found = report.violations
        found += rules.page_size(page)
        found += rules.text_size(page)
        found += rules.leading(page)
        found += typography(page)
        counts.append(digit_forms(page))
        if (delivery or window) and page.number == 1:
            found += rules.window(page)
        trim, crop = rules.crop_marks(page)
        if trim is not None:
            found += rules.card(page, trim, crop)
        elif abs(page.width - rules.POSTCARD[0]) < 1 and abs(page.height - rules.POSTCARD[1]) < 1:
            found += rules.card(page, page.box, [])
    for level, _title, page_number in marks:
        if level == 1 and page_number % 2 == 0:
            report.violations.append(
                Violation(
                    "document-start",
                    page_number,
                    "its first page",
                    "an even page (a sheet's back)",
                    "an odd page",
                )
            )
    report.violations += digits(counts, [number for level, _t, number in marks if level == 1])
    if delivery and report.pages % 2:
        report.violations.append(
            Violation(
                "page-count",
                report.pages,
                "the last page",
                f"{report.pages} pages",
                "an even count (duplex)",
            )
        )
    return report
