"""Demo rounds: the historical world and the live one, both labelled illustrative.

* The 2025 round (history): the illustrative 2021–2025 set, opened for the rural communes of the demo province
  in the three-level list of 01/03/2025, with targets by region.
* The 2026 round (live): the illustrative 2026–2030 set, opened for the rural communes of the province in the
  two-level list in force since 01/07/2025, with targets by commune group (every commune classified from the
  demo's file, so the opening check passes without falling back to the common target).
"""

import datetime

from django.db import transaction

from cms.directory import demo as directory_demo
from cms.directory.models import Unit
from criteria_pages import starter
from criteria_pages.models import CriteriaSetPage, EvaluationFormPage
from submissions.models import Round, RoundKind
from submissions.rounds import services as round_services

HISTORY_ROUND_NAME = "[Minh họa] Đánh giá xã nông thôn mới năm 2025 (bộ tiêu chí 2021-2025)"
LIVE_ROUND_NAME = "[Minh họa] Đánh giá xã nông thôn mới năm 2026 (bộ tiêu chí 2026-2030)"
RURAL_COMMUNE = "Xã"


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
    return [history, live]


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
