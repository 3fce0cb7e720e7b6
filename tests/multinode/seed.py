"""The multi-node test's data, written into the install's database through the product's services and the suite's
factories, in a process of the install (``manage.py shell -c "from tests.multinode import seed; seed.main()"``),
which prints what the test needs as JSON.

Đắk Lắk with Huyện Krông Pắc (its district reviewer) and four communes, each with its officer and each used by one
test, so the tests do not depend on each other's order: Hòa Thuận saves a draft, Ea Kly uploads evidence, Ea Phê
submits (its district reviewer is told), Ea Wer has a recognised, not yet published result of 2025 that the office
publishes. A published criteria set with its form, and the round of 2026, open.
"""

import datetime
import json

from django.db import transaction

from cms.directory.models import Role
from criteria_pages import services as criteria_services
from public_site import services as public_services
from public_site.models import CommunePage
from submissions.models import Round, RoundKind, Submission
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import (
    EvaluationFormPageFactory,
    criteria_index,
    question_section,
    round_spec,
)
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    UnitClassificationFactory,
    commune,
    district,
    member,
    province,
    region,
)
from tests.public_site.factories import HomePageFactory
from tests.submissions.factories import RoundFactory, result

COMMUNES = {
    "hoa_thuan": ("24400", "Xã Hòa Thuận"),
    "ea_kly": ("24401", "Xã Ea Kly"),
    "ea_phe": ("24403", "Xã Ea Phê"),
    "ea_wer": ("24404", "Xã Ea Wer"),
}
#: Ea Wer's result of 2025, recognised: criteria 1 and 2 met, 10 not.
EA_WER_2025 = {1: True, 2: True, 10: False}


@transaction.atomic
def seed() -> dict:
    DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    DepartmentFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường")
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    units = {key: commune(krong_pac, code, name) for key, (code, name) in COMMUNES.items()}
    for unit in units.values():
        UnitClassificationFactory(unit=unit, value=region("TN"))
    officers = {key: member(Role.COMMUNE_OFFICER, unit=unit, username=f"canbo_{key}") for key, unit in units.items()}
    office = member(Role.OFFICE_EDITOR, unit=dak_lak, username="vanphong")
    reviewer = member(Role.DISTRICT_REVIEWER, unit=krong_pac, username="thamtra")

    HomePageFactory(province=dak_lak)
    public_services.commune_pages_ensure(units=units.values())

    set_page, version = criteria_services.criteria_set_import(spec=round_spec(), parent=criteria_index())
    form_page = EvaluationFormPageFactory(
        title="Biểu mẫu đánh giá", slug="bieu-mau", criteria_set=set_page, sections=[question_section("Họ và tên")]
    )
    round_2026 = Round.objects.create(
        name="Đánh giá năm 2026",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=version,
        form_page=form_page,
        scope_root=dak_lak,
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
    )
    round_services.round_open(round_=round_2026, user=office)
    round_2025 = RoundFactory(year=2025, criteria_version=version, scope_root=dak_lak, scope_unit_types="Xã")
    ea_wer_2025 = result(round_2025, units["ea_wer"], EA_WER_2025, published=False)

    drafts = Submission.objects.filter(round=round_2026)
    return {
        "password": PASSWORD,
        "officers": {key: user.username for key, user in officers.items()},
        "office": office.username,
        "reviewer": {"username": reviewer.username, "email": reviewer.email},
        "names": {key: unit.name for key, unit in units.items()},
        "drafts": {key: drafts.get(unit=unit).pk for key, unit in units.items()},
        "pages": {key: CommunePage.objects.get(unit=unit).url for key, unit in units.items()},
        "ea_wer_2025": ea_wer_2025.pk,
    }


def main() -> None:
    print(json.dumps(seed()))  # noqa: T201
