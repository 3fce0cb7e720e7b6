"""Demo round: the illustrative set, opened for the rural communes of the demo province."""

import datetime

from django.db import transaction

from cms.directory.models import Unit, UnitLevel
from criteria_pages.models import CriteriaSetPage, EvaluationFormPage
from submissions.models import Round, RoundKind
from submissions.rounds import services as round_services

DEMO_ROUND_NAME = "[Minh họa] Đánh giá xã nông thôn mới năm 2026"


@transaction.atomic
def load(*, province_code: str = "66") -> Round:
    existing = Round.objects.filter(name=DEMO_ROUND_NAME).first()
    if existing is not None:
        return existing
    illustrative = CriteriaSetPage.objects.get(is_illustrative=True)
    province = Unit.objects.filter(code=province_code, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
    round_ = Round.objects.create(
        name=DEMO_ROUND_NAME,
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=illustrative.versions.order_by("-number").first(),
        form_page=EvaluationFormPage.objects.filter(criteria_set=illustrative).first(),
        scope_root=province,
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 31),
    )
    round_services.round_open(round_=round_)
    return round_
