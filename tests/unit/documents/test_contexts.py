"""documents: each kind's typed context, built from facts and the profile."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.documents import SPECS, spec_for
from generator.documents.cards import certificate, elderly
from generator.documents.forms import form
from generator.documents.notice import notice
from generator.documents.values import MIN_POINTS, Fitted, QrImage, text_ems
from generator.domain.kinds import DocumentKind
from generator.errors import DataError, ProfileError
from tests.cases import LONG_NAME, facts, profile


def test_certificate_prints_the_ratio_only_for_elderly_members() -> None:
    young = certificate(facts("under-70"), profile())
    assert (young.ratio, young.ratio_note) == ("******", "")
    old = certificate(facts("elderly-30"), profile())
    assert old.ratio == "3割"
    # 70 since 2023-04-01, but a member only since 2025-11-01: the 発効期日 is the later.
    assert old.ratio_note == "（令和7年11月1日から）"
    assert certificate(facts("elderly-20"), profile()).ratio == "2割"


def test_notice_uses_its_own_mask_and_the_profile_title(keys) -> None:  # type: ignore[no-untyped-def]
    context = notice(facts("under-70"), profile(), keys)
    assert context.ratio == "*******"
    assert context.notice_title == "資格情報のお知らせ"
    assert isinstance(context.facility_qr, QrImage)
    assert context.facility_qr.payload.startswith("TEST1.")
    kyosai = profile("kyosai")
    plain = notice(facts("under-70", insurer=kyosai), kyosai, None)
    assert plain.facility_qr == ""
    assert plain.notice_title == "資格情報通知書"


def test_the_facility_qr_needs_keys() -> None:
    with pytest.raises(ProfileError, match="signing keys"):
        notice(facts("under-70"), profile(), None)


def test_elderly_certificate() -> None:
    context = elderly(facts("under-70"), profile())  # issued ahead: 70 from next month
    assert context.effective_date == "令和8年1月1日"
    assert context.expiry == "令和8年7月31日"
    assert elderly(facts("elderly-30"), profile()).ratio == "3割"
    with pytest.raises(DataError, match="not 高齢受給者"):
        elderly(facts("gaiji"), profile())


CERT_FORM, DEREG = DocumentKind.CERTIFICATE_APPLICATION, DocumentKind.DEREGISTRATION_APPLICATION


def test_forms_route_by_membership() -> None:
    context = form(CERT_FORM)(facts("dependent"), profile())
    assert context.delivery_route == "事業所経由"
    assert context.route_note == "ご提出は事業所を経由してください。"
    assert context.insured_name.text == "山田 太郎"
    assert context.relationship_branch.text == "長女　　枝番 03"


@pytest.mark.parametrize(
    ("kind", "insurer", "route", "note"),
    [
        (CERT_FORM, "kenpo-fy3", "事業所経由", "ご提出は事業所を経由してください。"),
        (CERT_FORM, "kyosai", "所属所経由", "ご提出は所属所を経由してください。"),
        # One 健保組合 takes the 解除申請書 from the member directly (RULES.md).
        (DEREG, "kenpo-windows", "みなと年金事務健康保険組合へ直接",
         "ご提出はみなと年金事務健康保険組合へ直接お送りください。"),
        (DEREG, "kenpo-fy3", "事業所経由", "ご提出は事業所を経由してください。"),
    ],
)  # fmt: skip
def test_where_a_form_goes_back_is_the_insurers_choice(
    kind: DocumentKind, insurer: str, route: str, note: str
) -> None:
    context = form(kind)(facts("under-70"), profile(insurer))
    assert (context.delivery_route, context.route_note) == (route, note)


@pytest.mark.parametrize(
    ("insurer", "insured", "employer", "title"),
    [
        ("kenpo-fy3", "被保険者", "事業所", "資格情報のお知らせ再交付申請書"),
        ("kyosai", "組合員", "所属所", "資格情報通知書再交付申請書"),
    ],
)
def test_forms_speak_the_insurers_words(
    insurer: str, insured: str, employer: str, title: str
) -> None:
    context = form(DocumentKind.NOTICE_REISSUE_APPLICATION)(facts("under-70"), profile(insurer))
    assert (context.insured_term, context.employer_term, context.title) == (
        insured,
        employer,
        title,
    )
    card = certificate(facts("under-70"), profile(insurer))
    assert card.insured_term == insured
    assert card.route_note == f"ご返却は{employer}を経由してください。"


def test_long_names_shrink() -> None:
    context = certificate(facts("long-name"), profile())
    assert context.name.text == LONG_NAME
    assert context.name.points < 7.5


def test_every_kind_builds_a_context_with_its_declared_variables(keys) -> None:  # type: ignore[no-untyped-def]
    for kind, spec in SPECS.items():
        built = spec.build(facts("elderly-20"), profile(), keys)
        assert set(built.as_vars()) == spec.context_type.variables(), kind
        assert "123456789012" not in str(built.texts())
    assert spec_for("qualification-notice").kind is DocumentKind.QUALIFICATION_NOTICE


#: Text without deliberate line breaks (a break puts each part on lines of its own).
_ONE_PARAGRAPH = st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=80)


@given(_ONE_PARAGRAPH, st.floats(10, 200), st.floats(6, 16), st.integers(1, 3))
def test_fitted_text_never_grows_never_drops_below_the_minimum_and_fits_or_says_so(
    text: str, width: float, size: float, lines: int
) -> None:
    """Wrap first, then shrink: the size is the largest that fits the box's lines; a text
    that fits at no allowed size says so (and is refused), it is never printed smaller."""
    fitted = Fitted(text, width, size, lines=lines)
    points = fitted.points
    assert MIN_POINTS <= points <= size
    room = lines * width * 72 / 25.4 * 0.92 + 0.01
    assert fitted.fits == (text_ems(text) * points <= room)
    if text and points > MIN_POINTS:
        assert fitted.fits
    if text_ems(text) * size <= room / lines:
        assert points == size, "what fits at full size on one line keeps its size"


@given(_ONE_PARAGRAPH.filter(bool), st.floats(10, 200), st.floats(8, 16), st.integers(2, 3))
def test_the_window_wraps_before_it_shrinks(
    text: str, width: float, size: float, lines: int
) -> None:
    """The window's address and name take their box's lines at full size before shrinking."""
    fitted = Fitted(text, width, size, min_pt=8.0, lines=lines, wrap_first=True)
    room = lines * width * 72 / 25.4 * 0.92 + 0.01
    if text_ems(text) * size <= room:
        assert fitted.points == size
    assert fitted.fits == (text_ems(text) * fitted.points <= room)


def test_a_turning_70_notice_says_the_new_ratio_and_from_when() -> None:
    from generator.facts import decide
    from generator.selection import RunKind

    member = facts("under-70").member  # 70 on 2025-12-20: 高齢受給者 from 2026-01-01
    kyosai = profile("kyosai")
    enrolled = notice(decide(member, kyosai, facts("under-70").issue_date), kyosai, None)
    assert "オンライン資格確認等システムに登録" in enrolled.lead
    turning = decide(member, kyosai, facts("under-70").issue_date, run=RunKind.TURNING_70)
    lead = notice(turning, kyosai, None).lead
    assert lead.startswith("70歳に到達されたため、令和8年1月1日から一部負担金の割合が")
    assert turning.burden.ratio.value in lead
