"""Demo rounds: the historical world and the live one, both labelled illustrative.

* The 2025 round (history): the illustrative 2021–2025 set, opened for the rural communes of the demo province
  in the three-level list of 01/03/2025, with targets by region.
* Titles held before the product (illustrative rows, imported through the office's own import): a few communes of
  the three-level list hold "xã NTM" since a real-looking decision, so the new communes formed from them show their
  predecessors' titles.
* The 2026 round (live): the illustrative 2026–2030 set, opened for the rural communes of the province in the
  two-level list in force since 01/07/2025, with targets by commune group (every commune classified from the
  demo's file, so the opening check passes without falling back to the common target).
* The OCOP round (live, illustrative): the illustrative OCOP set (148/QĐ-TTg parts A/B/C), the demo producers'
  eight products: each dossier started, self-assessed and submitted by its producer, scored blind by a council of
  three (the chair closes it), the products of 3 and 4 stars recognised with one province decision and published,
  the 5-star one proposed upward and recorded with the national decision, the 2-star one left unrecognised. Every
  step goes through the services the screens use.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.directory import demo as directory_demo
from cms.directory.models import Membership, Role, Unit
from criteria_pages import starter
from criteria_pages.models import CriteriaSetPage, EvaluationFormPage
from submissions.entry import services as entry_services
from submissions.models import Round, RoundKind, Submission, SubmissionStatus
from submissions.ocop import certificates, scoring
from submissions.ocop.councils import services as council_services
from submissions.ocop.dossiers import services as dossier_services
from submissions.ocop.models import CouncilLevel, MemberSheet
from submissions.review import bulk, flow
from submissions.rounds import services as round_services
from submissions.titles import services as title_services
from submissions.titles.models import Title

HISTORY_ROUND_NAME = "[Minh họa] Đánh giá xã nông thôn mới năm 2025 (bộ tiêu chí 2021-2025)"
LIVE_ROUND_NAME = "[Minh họa] Đánh giá xã nông thôn mới năm 2026 (bộ tiêu chí 2026-2030)"
RURAL_COMMUNE = "Xã"
#: Illustrative titles held before the product (not real decisions): the rows an office would import, as CSV.
DEMO_TITLES_FILE = "danh-hieu-minh-hoa.csv"
DEMO_TITLES = """Mã đơn vị,Danh hiệu,Số quyết định,Ngày quyết định,Danh mục,Ghi chú
24184,Xã đạt chuẩn nông thôn mới,2891/QĐ-UBND,20/12/2019,01/03/2025,"[Minh họa] Dữ liệu mẫu, không phải quyết định thật"
24157,Xã đạt chuẩn nông thôn mới,3125/QĐ-UBND,28/12/2020,01/03/2025,"[Minh họa] Dữ liệu mẫu, không phải quyết định thật"
24163,Xã đạt chuẩn nông thôn mới,1740/QĐ-UBND,15/07/2022,01/03/2025,"[Minh họa] Dữ liệu mẫu, không phải quyết định thật"
24163,xa_ntm_nang_cao,4012/QĐ-UBND,22/12/2023,01/03/2025,"[Minh họa] Dữ liệu mẫu, không phải quyết định thật"
"""
DEMO_OFFICE = "vp_dieuphoi"
OCOP_ROUND_NAME = "[Minh họa] Đánh giá, phân hạng sản phẩm OCOP năm 2026"
OCOP_COUNCIL_NAME = "[Minh họa] Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Đắk Lắk năm 2026"
#: Each demo product's three council members' totals (chair first) and the producer's self-assessment; the
#: averages give 1 product of 5 stars, 3 of 4 stars, 3 of 3 stars and 1 of 2 stars (bands of the set).
OCOP_SCORES = {
    "Cà phê rang xay Ea Tul": ((78, 80, 79), 82),
    "Cà phê nhân xanh Ea Tul": ((60, 62, 58), 65),
    "Mật ong hoa cà phê Krông Năng": ((92, 91, 93), 94),
    "Tinh bột nghệ Krông Năng": ((55, 52, 54), 60),
    "Khăn thổ cẩm Buôn Đôn": ((71, 73, 72), 75),
    "Du lịch cộng đồng buôn Trí": ((45, 42, 44), 52),
    "Sầu riêng Ea Kar": ((75, 77, 70), 80),
    "Bơ sáp Ea Kar": ((65, 68, 66), 70),
}
OCOP_DECISION = ("2150/QĐ-UBND", datetime.date(2026, 11, 20))  # illustrative, not a real decision
OCOP_NATIONAL_DECISION = ("1570/QĐ-BNNMT", datetime.date(2026, 11, 25))  # illustrative, not a real decision


@transaction.atomic
def load(*, province_code: str = directory_demo.DEMO_PROVINCE) -> list[Round]:
    history = _round(
        name=HISTORY_ROUND_NAME,
        set_code=starter.DEMO_2021_2025_CODE,
        province=Unit.objects.get(edition__date=directory_demo.THREE_LEVEL_DATE, code=province_code),
        year=2025,
    )
    live = _round(
        name=LIVE_ROUND_NAME,
        set_code=starter.DEMO_2026_2030_CODE,
        province=directory_demo.live_province(province_code),
        year=2026,
    )
    rounds = [history, live]
    if province_code == directory_demo.DEMO_PROVINCE:
        _titles()
        ocop = _ocop_round(directory_demo.live_province(province_code))
        if ocop is not None:
            rounds.append(ocop)
    return rounds


def item_points(items, total) -> dict[str, str]:
    """A sheet's total spread over its scored items in proportion to their maximum (each within it), as typed."""
    total = Decimal(total)
    maximum = sum(indicator.points for _criterion, indicator in items)
    points = {indicator.code: (indicator.points * total / maximum).quantize(Decimal("0.5")) for _c, indicator in items}
    rest = total - sum(points.values())
    for _criterion, indicator in items:  # what rounding left, on the first items that can take it
        step = max(min(rest, indicator.points - points[indicator.code]), -points[indicator.code])
        points[indicator.code] += step
        rest -= step
    return {code: format(value.normalize(), "f").replace(".", ",") for code, value in points.items()}


def _ocop_round(province: Unit) -> Round | None:
    """The illustrative OCOP round, played to the end through the services (once: found by its name after)."""
    existing = Round.objects.filter(name=OCOP_ROUND_NAME).first()
    if existing is not None:
        return existing
    users = get_user_model().objects
    office = users.filter(username=DEMO_OFFICE).first()
    set_page = CriteriaSetPage.objects.filter(code=starter.DEMO_OCOP_CODE).first()
    if office is None or set_page is None:
        return None
    from cms.directory.products.models import Product  # noqa: PLC0415

    round_ = Round.objects.create(
        name=OCOP_ROUND_NAME,
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=set_page.versions.order_by("-number").first(),
        scope_root=province,
        scope_unit_types="",
        opens_on=datetime.date(2026, 3, 1),
        due_on=datetime.date(2026, 12, 31),
    )
    round_services.round_open(round_=round_, user=office)
    items = scoring.score_items(round_)

    # each producer starts, self-assesses and submits its products' dossiers
    products = Product.objects.filter(name__in=OCOP_SCORES, is_demo=True).select_related("producer__commune")
    producers = {
        membership.producer_id: membership.user
        for membership in Membership.objects.filter(role=Role.PRODUCER, is_demo=True).select_related("user")
    }
    dossiers = {}
    for product in products.order_by("pk"):
        producer_user = producers[product.producer_id]
        dossier = dossier_services.dossier_start(product=product, round_=round_, user=producer_user)
        self_points = item_points(items, OCOP_SCORES[product.name][1])
        entry_services.submission_save(submission=dossier, raws=self_points, user=producer_user)
        flow.submission_submit(submission=Submission.objects.get(pk=dossier.pk), user=producer_user)
        dossiers[product.name] = dossier

    # the office forms the council and assigns the dossiers; the members score blind; the chair closes
    council = council_services.council_create(
        round_=round_,
        name=OCOP_COUNCIL_NAME,
        level=CouncilLevel.PROVINCE,
        unit=province,
        establishing_decision="[Minh họa] Quyết định thành lập hội đồng số 1980/QĐ-UBND ngày 15/10/2026",
        user=office,
    )
    members = []
    for index, (username, _label, position) in enumerate(directory_demo.DEMO_COUNCIL_MEMBERS):
        member_user = users.get(username=username)
        members.append(
            council_services.member_add(
                council=council, member_user=member_user, user=office, position=position, is_chair=index == 0
            )
        )
    submitted = list(Submission.objects.filter(round=round_, status=SubmissionStatus.SUBMITTED))
    scoring.entries_assign(council=council, submissions=submitted, user=office)
    sheets = MemberSheet.objects.filter(entry__council=council).select_related(
        "entry__submission__product", "member__user", "entry__council__round"
    )
    order = {member.pk: index for index, member in enumerate(members)}
    for sheet in sheets:
        totals = OCOP_SCORES[sheet.entry.submission.product.name][0]
        total = totals[order[sheet.member_id]]
        saved = scoring.sheet_save(sheet=sheet, raws=item_points(items, total), user=sheet.member.user)
        scoring.sheet_submit(sheet=saved, user=sheet.member.user)
    scoring.council_close(council=council, user=members[0].user)

    # the province recognises 3 and 4 stars with one decision; the national decision for the 5 stars; publish
    waiting = list(Submission.objects.filter(round=round_, status=SubmissionStatus.RECOGNITION).order_by("pk"))
    rule = scoring.scoring_rule(round_)
    province_list = [s for s in waiting if rule.min_recognised_stars <= (s.stars or 0) < rule.national_stars]
    national_list = [s for s in waiting if (s.stars or 0) >= rule.national_stars]
    number, date = OCOP_DECISION
    certificates.products_recognise(
        round_=round_, submissions=province_list, user=office, decision_number=number, decision_date=date
    )
    if national_list:
        number, date = OCOP_NATIONAL_DECISION
        certificates.national_recognition_record(
            round_=round_, submissions=national_list, user=office, number=number, date=date
        )
    recognised = list(Submission.objects.filter(round=round_, status=SubmissionStatus.RECOGNISED))
    bulk.submissions_publish(submissions=recognised, user=office)
    return round_


def _titles() -> None:
    """The illustrative titles, imported once (as the demo office, through the import an office uses)."""
    if Title.objects.filter(note__startswith="[Minh họa]").exists():
        return
    office = get_user_model().objects.filter(username=DEMO_OFFICE).first()
    if office is None:
        return
    report = title_services.titles_import(data=DEMO_TITLES.encode("utf-8"), filename=DEMO_TITLES_FILE, user=office)
    if report.problems:
        raise ValueError("; ".join(str(problem) for problem in report.problems))


def _round(*, name: str, set_code: str, province: Unit, year: int) -> Round:
    existing = Round.objects.filter(name=name).first()
    if existing is not None:
        return existing
    set_page = CriteriaSetPage.objects.get(code=set_code)
    round_ = Round.objects.create(
        name=name,
        kind=RoundKind.YEARLY,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        criteria_version=set_page.versions.order_by("-number").first(),
        form_page=EvaluationFormPage.objects.filter(criteria_set=set_page).first(),
        scope_root=province,
        scope_unit_types=RURAL_COMMUNE,
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 31),
    )
    round_services.round_open(round_=round_)
    return round_
