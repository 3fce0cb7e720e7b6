"""Demo rounds: the historical world and the live one, both labelled illustrative.

* The 2025 round (history): the illustrative 2021–2025 set, opened for the rural communes of the demo province
  in the three-level list of 01/03/2025, with targets by region.
* Titles held before the product (illustrative rows, imported through the office's own import): a few communes of
  the three-level list hold "xã NTM" since a real-looking decision, so the new communes formed from them show their
  predecessors' titles.
* The 2026 round (live): the illustrative 2026–2030 set, opened for the rural communes of the province in the
  two-level list in force since 01/07/2025, with targets by commune group (every commune classified from the
  demo's file, so the opening check passes without falling back to the common target).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.directory import demo as directory_demo
from cms.directory.models import Unit
from criteria_pages import starter
from criteria_pages.models import CriteriaSetPage, EvaluationFormPage
from submissions.models import Round, RoundKind
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
    if province_code == directory_demo.DEMO_PROVINCE:
        _titles()
    return [history, live]


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
