"""Shared setup for the rounds and submissions tests: a small province, a published set, an open round."""

import datetime
from decimal import Decimal

import pytest

from cms.directory.models import ClassificationValue, Role, UnitClassification
from criteria_pages import services as criteria_services
from criteria_pages.models import CriteriaIndexPage, EvaluationFormPage
from criteria_pages.spec import (
    Comparison,
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    SetSpec,
    ValueType,
)
from submissions.models import Round, RoundKind
from submissions.rounds import services as round_services
from tests.factories import DepartmentFactory, commune, district, member, province


def round_spec() -> SetSpec:
    return SetSpec(
        code="THU_DOT",
        name="Bộ tiêu chí thử cho đợt",
        classification="region",
        criteria=(
            CriterionSpec(
                number=1,
                name="Quy hoạch",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="1.1",
                        name="Có quy hoạch chung xây dựng xã được phê duyệt",
                        value_type=ValueType.BOOLEAN,
                        target="có",
                        evidence=EvidenceSpec(description="Quyết định phê duyệt", required=True, min_files=1),
                    ),
                ),
            ),
            CriterionSpec(
                number=2,
                name="Giao thông",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="2.1",
                        name="Tỷ lệ đường xã được nhựa hóa",
                        value_type=ValueType.PERCENTAGE,
                        comparison=Comparison.GTE,
                        target="100",
                        targets={"TN": "90"},
                        unit="%",
                    ),
                    IndicatorSpec(
                        code="2.2",
                        name="Số km đường thôn được cứng hóa",
                        value_type=ValueType.NUMBER,
                        comparison=Comparison.GTE,
                        target="5",
                        unit="km",
                    ),
                ),
            ),
            CriterionSpec(
                number=10,
                name="Thu nhập",
                department="so-nnmt",
                indicators=(
                    IndicatorSpec(
                        code="10.1",
                        name="Thu nhập bình quân đầu người",
                        value_type=ValueType.NUMBER,
                        comparison=Comparison.GTE,
                        target="48",
                        unit="triệu đồng/người/năm",
                        points=Decimal("10"),
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def area(db):
    """Đắk Lắk (region TN) with two districts and three communes, one officer per commune."""
    DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    DepartmentFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường")
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    buon_don = district(dak_lak, "648", "Huyện Buôn Đôn")
    communes = {
        "hoa_thuan": commune(krong_pac, "24400", "Xã Hòa Thuận"),
        "ea_kly": commune(krong_pac, "24401", "Xã Ea Kly"),
        "ea_wer": commune(buon_don, "24310", "Xã Ea Wer"),
        "phuoc_an": commune(krong_pac, "24402", "Thị trấn Phước An", unit_type="Thị trấn"),
    }
    tay_nguyen = ClassificationValue.objects.get(classification__code="region", code="TN")
    for unit in communes.values():
        UnitClassification.objects.create(unit=unit, classification=tay_nguyen.classification, value=tay_nguyen)
    officers = {
        key: member(Role.COMMUNE_OFFICER, unit=unit, username=f"canbo_{key}")
        for key, unit in communes.items()
        if key != "phuoc_an"
    }
    office = member(Role.OFFICE_EDITOR, unit=dak_lak, username="vanphong")
    reviewer = member(Role.DISTRICT_REVIEWER, unit=krong_pac, username="thamtra")
    return {
        "province": dak_lak,
        "districts": {"krong_pac": krong_pac, "buon_don": buon_don},
        "communes": communes,
        "officers": officers,
        "office": office,
        "reviewer": reviewer,
    }


@pytest.fixture
def published_set(area):
    index = CriteriaIndexPage.objects.get()
    page, version = criteria_services.criteria_set_import(spec=round_spec(), parent=index)
    form_page = EvaluationFormPage(
        title="Biểu mẫu đánh giá thử",
        slug="bieu-mau-thu",
        criteria_set=page,
        sections=[
            (
                "section",
                {
                    "title": "Người lập biểu",
                    "description": "",
                    "questions": [("short_text", {"label": "Họ và tên người lập", "help_text": "", "required": True})],
                },
            )
        ],
    )
    index.add_child(instance=form_page)
    form_page.save_revision().publish()
    return {"page": page, "version": version, "form_page": form_page}


@pytest.fixture
def open_round(area, published_set):
    """A yearly round for the rural communes (Xã) of the province, opened."""
    round_ = Round.objects.create(
        name="Đánh giá năm 2026",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=published_set["version"],
        form_page=published_set["form_page"],
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
    )
    round_services.round_open(round_=round_, user=area["office"])
    return round_
