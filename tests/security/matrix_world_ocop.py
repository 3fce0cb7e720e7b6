"""The attacker matrix's world of OCOP (issue 16), beside :mod:`tests.security.matrix_world`: each province's producer
of the attacked commune with a login, its products (one with a private photo), an open product round, dossiers, an
open council scoring one dossier, a closed council whose dossier was recognised with a published certificate, and
the models OCOP's writes may change (added to the fingerprint).

Everything is built once with the world (:func:`ocop_world_build`, called by the matrix's ``world`` layer); the
lookups below find a side's objects again by their province's code."""

import datetime
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cms.directory.models import Membership, Role
from cms.directory.products import services as product_services
from cms.directory.products.models import Producer, Product, ProductPhoto
from submissions.models import Round, Submission
from submissions.ocop.certificates import products_recognise
from submissions.ocop.models import (
    Certificate,
    Council,
    CouncilEntry,
    CouncilMember,
    MemberScore,
    MemberSheet,
    RecognitionDecision,
)
from submissions.ocop.scoring import council_close, entries_assign
from submissions.review import bulk
from tests.factories import member
from tests.security.matrix_world import FINGERPRINTED, Side, World, _png
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

OPEN_COUNCIL, CLOSED_COUNCIL = "Hội đồng OCOP đang chấm", "Hội đồng OCOP đã chấm"


def _code(s: Side) -> str:
    return s.province.code


def _ocop_side(side: Side, version) -> None:
    code = side.province.code
    round_ = product_round(side.province, version, office=side.office, name=f"Đánh giá sản phẩm OCOP {code}")
    producer = ProducerFactory(commune=side.commune, name=f"Hợp tác xã Ma Trận {code}")
    producer_account(producer, username=f"chu_the_{code}")
    scoring, recognised, waiting = (
        ProductFactory(producer=producer, name=f"Mật ong ma trận {code}"),
        ProductFactory(producer=producer, name=f"Cà phê ma trận {code}"),
        ProductFactory(producer=producer, name=f"Trà ma trận {code}"),
    )
    product_services.product_photo_add(
        product=scoring,
        user=side.office,
        upload=SimpleUploadedFile("mat-ong.png", _png(), content_type="image/png"),
        caption="Chai mật ong",
    )
    in_scoring, to_recognise, _waiting = dossiers(round_, [scoring, recognised, waiting])
    # the open council: three members (the first chairs), one more council member of the province not yet seated
    users = [member(Role.COUNCIL_MEMBER, unit=side.province, username=f"hd_{code}_{i}") for i in range(1, 4)]
    member(Role.COUNCIL_MEMBER, unit=side.province, username=f"hd_{code}_4")
    open_council = council_with(round_, province=side.province, users=users, name=OPEN_COUNCIL)
    entries_assign(council=open_council, submissions=[in_scoring], user=side.office)
    # the closed council: the same members scored its dossier (4 stars), the chair closed, the office recognised
    closed = council_with(round_, province=side.province, users=users, name=CLOSED_COUNCIL)
    scored(closed, {to_recognise: (Decimal(80), Decimal(80), Decimal(80))}, office=side.office)
    council_close(council=closed, user=users[0])
    products_recognise(
        round_=round_,
        submissions=[Submission.objects.get(pk=to_recognise.pk)],
        user=side.office,
        decision_number=f"12/QĐ-UBND-{code}",
        decision_date=datetime.date(2026, 11, 25),
    )
    bulk.submissions_publish(submissions=[Submission.objects.get(pk=to_recognise.pk)], user=side.office)


def ocop_world_build(world: World) -> None:
    """Both sides' OCOP objects, on one illustrative OCOP criteria set (national, like the library's sets)."""
    version = ocop_version()
    for side in world.sides.values():
        _ocop_side(side, version)


# --- lookups: a side's objects ------------------------------------------------------------------------------------


def producer_of(w: World, s: Side) -> int:
    return Producer.objects.get(name=f"Hợp tác xã Ma Trận {_code(s)}").pk


def product_of(w: World, s: Side) -> int:
    """The product in scoring (with the photo)."""
    return Product.objects.get(name=f"Mật ong ma trận {_code(s)}").pk


def recognised_product_of(w: World, s: Side) -> int:
    return Product.objects.get(name=f"Cà phê ma trận {_code(s)}").pk


def photo_of(w: World, s: Side) -> int:
    return ProductPhoto.objects.get(product_id=product_of(w, s)).pk


def round_of(w: World, s: Side) -> int:
    return Round.objects.get(name=f"Đánh giá sản phẩm OCOP {_code(s)}").pk


def council_of(w: World, s: Side) -> int:
    """The open council (scoring)."""
    return Council.objects.get(round_id=round_of(w, s), name=OPEN_COUNCIL).pk


def closed_council_of(w: World, s: Side) -> int:
    return Council.objects.get(round_id=round_of(w, s), name=CLOSED_COUNCIL).pk


def chair_user(s: Side):
    return Membership.objects.select_related("user").get(user__username=f"hd_{_code(s)}_1").user


def seat_of(username_suffix: int):
    """The seat (CouncilMember) on the open council of member ``hd_<code>_<n>``."""
    return lambda w, s: (
        CouncilMember.objects.get(council_id=council_of(w, s), user__username=f"hd_{_code(s)}_{username_suffix}").pk
    )


def unseated_user_of(w: World, s: Side) -> int:
    return Membership.objects.get(user__username=f"hd_{_code(s)}_4").user_id


def entry_of(w: World, s: Side) -> int:
    return CouncilEntry.objects.get(council_id=council_of(w, s)).pk


def sheet_of(w: World, s: Side, suffix: int = 1) -> int:
    """The sheet of member ``hd_<code>_<suffix>`` (the chair by default) on the open council's dossier."""
    return MemberSheet.objects.get(
        entry__council_id=council_of(w, s), member__user__username=f"hd_{_code(s)}_{suffix}"
    ).pk


def sheet_version(w: World, s: Side) -> int:
    return MemberSheet.objects.get(pk=sheet_of(w, s)).lock_version


def waiting_dossier_of(w: World, s: Side) -> int:
    """The submitted dossier no council has yet."""
    return Submission.objects.get(product__name=f"Trà ma trận {_code(s)}").pk


def certificate_code_of(w: World, s: Side) -> uuid.UUID:
    return Certificate.objects.get(product_id=recognised_product_of(w, s)).code


FINGERPRINTED.extend(
    [
        Producer,
        Product,
        ProductPhoto,
        Council,
        CouncilMember,
        CouncilEntry,
        MemberSheet,
        MemberScore,
        RecognitionDecision,
        Certificate,
    ]
)
