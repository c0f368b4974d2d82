"""The burden ratio (一部負担金の割合) and what a document prints for it.

- 70–74 (高齢受給者): 2割, or 3割 when the insured's 標準報酬月額 is 280,000 yen or more
  (現役並み所得者, 健康保険法74条1項3号); the insured's grade decides for dependents too. A
  member who applied under the income line (基準収入額適用) reverts to 2割: an input flag.
- Under 70: 3割, but 2割 up to the first 31 March after the child reaches 6 (未就学).
- Documents print the ratio only for members who are 高齢受給者 on the document's effective
  date; everyone else gets the template's mask (e.g. ``******``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from generator.domain import age
from generator.domain.numbers import format_yen

#: 標準報酬月額 from which a 高齢受給者 pays 3割 (現役並み所得者).
ACTIVE_INCOME_THRESHOLD = 280_000


class BurdenRatio(StrEnum):
    """一部負担金の割合 as printed on the documents."""

    TWENTY_PERCENT = "2割"
    THIRTY_PERCENT = "3割"


@dataclass(frozen=True, slots=True)
class RatioDecision:
    """A ratio with the reason it applies (for ``explain``)."""

    ratio: BurdenRatio
    reason: str


def burden_ratio(
    birth: date,
    on: date,
    insured_remuneration: int,
    *,
    base_income_applied: bool = False,
    insured_birth: date | None = None,
) -> RatioDecision:
    """The ratio a member pays on ``on``, given the insured's 標準報酬月額. ``insured_birth``:
    for a dependent, the insured person's birth date (現役並み所得者 is the status of an
    insured who is 70–74 themself: a 70–74 dependent of a younger insured pays 2割)."""
    if age.is_elderly_on(birth, on):
        if insured_birth is not None and not age.is_elderly_on(insured_birth, on):
            return RatioDecision(
                BurdenRatio.TWENTY_PERCENT,
                "高齢受給者 (被扶養者); the insured is not 70–74, so not 現役並み所得者",
            )
        if insured_remuneration < ACTIVE_INCOME_THRESHOLD:
            return RatioDecision(
                BurdenRatio.TWENTY_PERCENT,
                f"高齢受給者; 標準報酬月額 {format_yen(insured_remuneration)} < "
                f"{format_yen(ACTIVE_INCOME_THRESHOLD)}",
            )
        if base_income_applied:
            return RatioDecision(
                BurdenRatio.TWENTY_PERCENT, "高齢受給者; 基準収入額適用 (income below the line)"
            )
        return RatioDecision(
            BurdenRatio.THIRTY_PERCENT,
            f"高齢受給者, 現役並み所得者; 標準報酬月額 {format_yen(insured_remuneration)} ≥ "
            f"{format_yen(ACTIVE_INCOME_THRESHOLD)}",
        )
    if on <= age.preschool_end(birth):
        end = age.preschool_end(birth).isoformat()
        return RatioDecision(BurdenRatio.TWENTY_PERCENT, f"未就学 (until {end})")
    return RatioDecision(BurdenRatio.THIRTY_PERCENT, "under 70 (70歳未満)")


def printed_ratio(ratio: BurdenRatio, *, elderly_on_effective_date: bool, mask: str) -> str:
    """What a document prints in its 一部負担金の割合 box: the ratio or the mask."""
    return ratio.value if elderly_on_effective_date else mask
