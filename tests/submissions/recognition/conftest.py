"""The recognition preconditions' world, on top of the small province (``area``): a "nâng cao" set whose
recognition grants xã NTM nâng cao and needs four preconditions (a construction-debt confirmation by so-xd with
evidence, a poverty figure entered by so-nnmt, the residents' satisfaction ≥ 90 %, and holding the NTM title), a
round on it with three Đắk Lắk communes and one Đắk Nông commune waiting for recognition (the rows of all but Ea
Wer made, as when they reached appraisal; Ea Wer's are made at the first look), and the people of both provinces."""

import dataclasses
import datetime
from decimal import Decimal

from cms.directory.models import Department, Role
from criteria_pages import services as criteria_services
from criteria_pages.spec import Comparison, FigureSource, PreconditionKind, PreconditionSpec, TitleKind
from submissions.models import RoundStatus, SubmissionStatus
from submissions.recognition import services
from tests.criteria_pages.factories import criteria_index, round_spec
from tests.factories import DepartmentFactory, commune, district, member, province, shared_layer
from tests.submissions.factories import RoundFactory, result

DEBT = PreconditionSpec(
    code="DK1",
    name="Không có nợ đọng xây dựng cơ bản",
    kind=PreconditionKind.CONFIRMATION,
    department="so-xd",
    evidence="Văn bản xác nhận của Sở Xây dựng",
    legal_basis="Quyết định 18/2022/QĐ-TTg",
)
POVERTY = PreconditionSpec(
    code="DK2",
    name="Tỷ lệ hộ nghèo đa chiều",
    kind=PreconditionKind.FIGURE,
    department="so-nnmt",
    comparison=Comparison.LTE,
    threshold=Decimal("3"),
    unit="%",
)
SATISFACTION = PreconditionSpec(
    code="DK3",
    name="Tỷ lệ người dân hài lòng",
    kind=PreconditionKind.FIGURE,
    source=FigureSource.SATISFACTION,
    comparison=Comparison.GTE,
    threshold=Decimal("90"),
    unit="%",
)
HOLDS_NTM = PreconditionSpec(
    code="DK4",
    name="Đã được công nhận xã đạt chuẩn nông thôn mới",
    kind=PreconditionKind.TITLE,
    required_title="xa_ntm",
)


def nang_cao_spec():
    return dataclasses.replace(
        round_spec(),
        code="THU_NANG_CAO",
        name="Bộ tiêu chí xã nông thôn mới nâng cao thử",
        grants_title=TitleKind.XA_NTM_NANG_CAO,
        preconditions=(DEBT, POVERTY, SATISFACTION, HOLDS_NTM),
    )


@shared_layer
def preconditions_world(area):
    _page, version = criteria_services.criteria_set_import(spec=nang_cao_spec(), parent=criteria_index())
    round_ = RoundFactory(name="Đánh giá nâng cao 2026", criteria_version=version, status=RoundStatus.OPEN)
    met = {1: True, 2: True, 10: True}
    waiting = {"status": SubmissionStatus.RECOGNITION, "published": False, "decision_number": "", "decision_date": None}
    submissions = {
        key: result(round_, area["communes"][key], met, **waiting) for key in ("hoa_thuan", "ea_kly", "ea_wer")
    }

    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = commune(district(dak_nong, "660", "Huyện Đắk Mil"), "24700", "Xã Đắk Lao")
    DepartmentFactory(province=dak_nong, code="so-xd", name="Sở Xây dựng Đắk Nông")
    submissions["dak_lao"] = result(round_, dak_mil, met, **waiting)
    # Made when they reached appraisal, as the review flow does (review_forward → _open_appraisals).
    services.preconditions_make(submissions=[submissions[key] for key in ("hoa_thuan", "ea_kly", "dak_lao")])

    construction = Department.objects.get(province=area["province"], code="so-xd")
    agriculture = Department.objects.get(province=area["province"], code="so-nnmt")
    return {
        "round": round_,
        "version": version,
        "submissions": submissions,
        "construction": construction,
        "agriculture": agriculture,
        "appraiser": member(Role.DEPARTMENT_APPRAISER, department=construction, username="xd_dak_lak"),
        "agriculture_appraiser": member(Role.DEPARTMENT_APPRAISER, department=agriculture, username="nn_dak_lak"),
        "other_appraiser": member(
            Role.DEPARTMENT_APPRAISER,
            department=Department.objects.get(province=dak_nong, code="so-xd"),
            username="xd_dak_nong",
        ),
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_dak_nong"),
        "national": member(Role.NATIONAL_READER, username="trung_uong"),
        "held_since": datetime.date(2021, 6, 1),
    }
