"""The world of the councils' tests (built once per module by a ``shared_layer`` of each test module): an open OCOP
round of the small province, four submitted dossiers, council X (chair + two members) scoring two of them, council
Y (two members) scoring the third, the fourth waiting to be assigned; a council member not yet seated, and the
office and a council member of another province."""

from decimal import Decimal

from cms.directory.models import Role
from submissions.models import Submission
from submissions.ocop import scoring
from submissions.ocop.models import MemberSheet
from tests.factories import member, province
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    ocop_version,
    product_round,
    split,
)


def named(role, *, unit, username: str, full_name: str):
    user = member(role, unit=unit, username=username)
    user.first_name, user.last_name = full_name.rsplit(" ", 1)  # Vietnamese order, as the people import writes it
    user.save(update_fields=["first_name", "last_name"])
    return user


def council_world_build(area) -> dict:
    dak_lak = area["province"]
    version = ocop_version()
    round_ = product_round(dak_lak, version, office=area["office"])
    producer = ProducerFactory(commune=area["communes"]["hoa_thuan"], name="Hợp tác xã Cà phê Hòa Thuận")
    products = [
        ProductFactory(producer=producer, name=name)
        for name in ("Cà phê rang xay", "Cà phê hạt", "Mật ong rừng", "Tiêu sọ")
    ]
    first, second, third, fourth = dossiers(round_, products)
    people = {
        key: named(Role.COUNCIL_MEMBER, unit=dak_lak, username=key, full_name=name)
        for key, name in (
            ("chu_tich", "Trần Chủ Tịch"),
            ("uy_vien_1", "Lê Ủy Viên"),
            ("uy_vien_2", "Phạm Thành Viên"),
            ("y_1", "Võ Hội Đồng"),
            ("y_2", "Đỗ Giám Khảo"),
            ("chua_cu", "Hồ Chưa Cử"),
        )
    }
    council_x = council_with(
        round_, province=dak_lak, users=[people["chu_tich"], people["uy_vien_1"], people["uy_vien_2"]]
    )
    council_y = council_with(
        round_, province=dak_lak, users=[people["y_1"], people["y_2"]], name="Hội đồng OCOP thứ hai"
    )
    scoring.entries_assign(council=council_x, submissions=[first, second], user=area["office"])
    scoring.entries_assign(council=council_y, submissions=[third], user=area["office"])
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    return {
        **area,
        "round": round_,
        "x": council_x,
        "y": council_y,
        "dossiers": [Submission.objects.get(pk=s.pk) for s in (first, second, third, fourth)],
        "people": people,
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
        "other_member": member(Role.COUNCIL_MEMBER, unit=dak_nong, username="hoidong_67"),
    }


def sheet(user, submission) -> MemberSheet:
    return MemberSheet.objects.select_related("member", "entry__council").get(
        member__user=user, entry__submission=submission
    )


def score(user, submission, total, *, submit: bool = True) -> MemberSheet:
    """``user`` fills their sheet of ``submission`` with ``total`` (split over A/B/C) through the services."""
    own = sheet(user, submission)
    raws = {code: str(points).replace(".", ",") for code, points in split(Decimal(total)).items()}
    own = scoring.sheet_save(sheet=own, raws=raws, user=user)
    if submit:
        own = scoring.sheet_submit(sheet=sheet(user, submission), user=user)
    return own
