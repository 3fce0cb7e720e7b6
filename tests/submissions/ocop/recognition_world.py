"""The world of the recognition, certificate and reminder tests: an OCOP round of the area's province whose
council has closed, with products at 2, 3, 4 and 5 stars from two producers (each with an account), and the office
of another province. Built through the services (assignment, close); each test module declares it as its own
shared layer."""

from cms.directory.models import Role
from submissions.models import Submission
from submissions.ocop.scoring import council_close
from tests.factories import commune, district, member, province
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    ocop_version,
    producer_account,
    product_round,
    scored,
)

#: Product name → the three members' totals (all equal, except the flagged one) and the stars they give.
PRODUCTS = {
    "Cà phê bột Hòa Thuận": ((75, 75, 75), 4),
    "Mật ong Hòa Thuận": ((55, 55, 55), 3),
    "Bánh tráng Hòa Thuận": ((40, 40, 40), 2),
    "Tiêu sọ Ea Wer": ((95, 95, 95), 5),
    "Rượu cần Ea Wer": ((52, 60, 70), 3),  # spread 18: flagged for discussion
}
#: The producer of each product (by the first word of its commune).
EA_WER = ("Tiêu sọ Ea Wer", "Rượu cần Ea Wer")


def closed_round(area) -> dict:
    version = ocop_version()
    round_ = product_round(area["province"], version, office=area["office"])
    producer = ProducerFactory(commune=area["communes"]["hoa_thuan"], name="Hợp tác xã Cà phê Hòa Thuận")
    other_producer = ProducerFactory(commune=area["communes"]["ea_wer"], name="Hợp tác xã Ea Wer")
    products = [ProductFactory(producer=other_producer if name in EA_WER else producer, name=name) for name in PRODUCTS]
    council = council_with(round_, province=area["province"])
    submissions = dossiers(round_, products)
    scored(council, {s: PRODUCTS[s.product.name][0] for s in submissions}, office=area["office"])
    council_close(council=council, user=council.members.get(is_chair=True).user)
    far = province("64", "Tỉnh Gia Lai")
    commune(district(far, "622", "Huyện Chư Sê"), "23700", "Xã Ia Blang")
    return {
        "round": round_,
        "council": council,
        "producer": producer,
        "other_producer": other_producer,
        "account": producer_account(producer, username="htx_hoathuan"),
        "other_account": producer_account(other_producer, username="htx_eawer"),
        "office": area["office"],
        "far_office": member(Role.OFFICE_EDITOR, unit=far, username="vanphong_gialai"),
        "member": council.members.filter(is_chair=False).first().user,
    }


def dossier(world, name: str) -> Submission:
    """The round's dossier of the product ``name``, fresh from the database."""
    return Submission.objects.select_related("product__producer", "unit", "round").get(
        round=world["round"], product__name=name
    )
