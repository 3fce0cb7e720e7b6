"""Builders for OCOP tests: producers and products, the illustrative scoring set (parts A/B/C of 40/25/35 points,
the 2019 star bands), an open product round, councils, dossiers, and member sheets written in bulk.

Everything a test reads back goes through the services (``entries_assign``, ``council_close``,
``products_recognise``); only the members' sheets of bulk tests are written straight to their tables."""

import datetime
from decimal import Decimal

from django.utils import timezone

import factory

from cms.directory.models import ProductGroup, Role
from cms.directory.products.models import Producer, ProducerKind, Product
from criteria_pages import services as criteria_services
from criteria_pages.spec import (
    Comparison,
    CriterionSpec,
    IndicatorSpec,
    ScoreBand,
    ScoringRule,
    SetLevel,
    SetSpec,
    StandardRule,
    ValueType,
)
from submissions.models import Round, RoundKind, Submission, SubmissionStatus
from submissions.ocop.models import Council, CouncilEntry, CouncilLevel, CouncilMember, MemberScore, MemberSheet
from submissions.ocop.scoring import entries_assign
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import criteria_index
from tests.factories import UserFactory, member

#: Parts of the score sheet: (criterion number, name, item code, maximum points).
PARTS = (
    (1, "Sản phẩm và sức mạnh cộng đồng", "A", Decimal(40)),
    (2, "Khả năng tiếp thị", "B", Decimal(25)),
    (3, "Chất lượng sản phẩm", "C", Decimal(35)),
)
#: The bands of the 2019 decision (the reference says 148/2023 kept them: unverified).
BANDS = ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))


def group(code: str = "do-uong") -> ProductGroup:
    """A row of the classification the migration loads (every test database has it)."""
    return ProductGroup.objects.get(code=code)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Nông nghiệp số {n + 1}")
    kind = ProducerKind.COOPERATIVE
    registration_number = factory.Sequence(lambda n: f"4000{n:05d}")
    address = "Ấp 1"
    representative = "Nguyễn Văn Đại Diện"
    phone = "0912 345 678"
    email = factory.Sequence(lambda n: f"htx{n}@example.vn")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Sản phẩm thử {n + 1}")
    group = factory.LazyFunction(group)
    description = "Mô tả sản phẩm."


def producer_account(producer: Producer, username: str | None = None):
    """A user acting for ``producer`` (role "Chủ thể OCOP"), groups synced as the admin does."""
    from cms.directory import services

    user = UserFactory(**({"username": username} if username else {}))
    services.membership_create(user=user, role=Role.PRODUCER, producer=producer)
    return user


def ocop_spec(*, rule: ScoringRule | None = None, code: str = "OCOP_THU") -> SetSpec:
    """One SCORE item per part (A ≤ 40, B ≤ 25, C ≤ 35), the five star bands, recognised from 3 stars."""
    return SetSpec(
        code=code,
        name="Bộ tiêu chí OCOP thử",
        level=SetLevel.PRODUCT,
        standard_rule=StandardRule.SCORE,
        standard_min=Decimal(50),
        bands=tuple(ScoreBand(f"{stars} sao", Decimal(minimum), stars) for stars, minimum in BANDS),
        scoring=rule or ScoringRule(bands_source="QĐ 1048/QĐ-TTg 2019 (chưa đối chiếu QĐ 148/QĐ-TTg)"),
        is_illustrative=True,
        criteria=tuple(
            CriterionSpec(
                number=number,
                name=name,
                group=f"Phần {code_}",
                indicators=(
                    IndicatorSpec(
                        code=code_,
                        name=f"Điểm phần {code_}",
                        value_type=ValueType.SCORE,
                        comparison=Comparison.GTE,
                        points=maximum,
                    ),
                ),
            )
            for number, name, code_, maximum in PARTS
        ),
    )


def ocop_version(**kwargs):
    """:func:`ocop_spec` imported and published (its version)."""
    _page, version = criteria_services.criteria_set_import(spec=ocop_spec(**kwargs), parent=criteria_index())
    return version


def product_round(province, version, *, office=None, open_=True, name="Đánh giá sản phẩm OCOP năm 2026") -> Round:
    """A yearly OCOP round of ``province`` on ``version``, opened by ``office`` unless told."""
    round_ = Round.objects.create(
        name=name,
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=version,
        scope_root=province,
        scope_unit_types="",
        opens_on=datetime.date(2026, 3, 1),
        due_on=datetime.date(2026, 9, 30),
    )
    if open_:
        round_services.round_open(round_=round_, user=office)
    return round_


def council_with(round_, *, province, members: int = 3, users=None, name="Hội đồng OCOP tỉnh") -> Council:
    """A province council of ``round_`` with ``members`` council members (the first is the chair)."""
    council = Council.objects.create(round=round_, name=name, level=CouncilLevel.PROVINCE, unit=province)
    users = list(users or [member(Role.COUNCIL_MEMBER, unit=province) for _ in range(members)])
    for index, user in enumerate(users):
        CouncilMember.objects.create(council=council, user=user, is_chair=index == 0, position="Thành viên")
    return council


def dossiers(round_, products, *, status=SubmissionStatus.SUBMITTED) -> list[Submission]:
    """One dossier per product in ``round_`` (bulk), as if each producer had submitted it."""
    now = timezone.now()
    rows = [
        Submission(
            round=round_,
            unit_id=product.producer.commune_id,
            product=product,
            status=status,
            submitted_at=now if status != SubmissionStatus.DRAFT else None,
            first_submitted_at=now if status != SubmissionStatus.DRAFT else None,
        )
        for product in products
    ]
    Submission.objects.bulk_create(rows, batch_size=500)
    return list(Submission.objects.filter(round=round_, product__in=products).select_related("product"))


def split(total: Decimal) -> dict[str, Decimal]:
    """A member's total as points of parts A, B and C (each within its maximum, summing to ``total``)."""
    total = Decimal(total)
    a = (total * Decimal("0.40")).quantize(Decimal("0.01"))
    b = (total * Decimal("0.25")).quantize(Decimal("0.01"))
    return {"A": a, "B": b, "C": total - a - b}


def scored(council, totals_by_submission: dict, *, office, submit: bool = True) -> None:
    """Assign the dossiers to ``council`` (the service), then write each member's sheet in bulk: the i-th member
    gets the i-th total of the dossier's tuple, split over A/B/C, submitted unless told."""
    entries_assign(council=council, submissions=list(totals_by_submission), user=office)
    members = list(council.members.order_by("-is_chair", "pk"))
    sheets = MemberSheet.objects.filter(entry__council=council).select_related("entry", "member")
    by_key = {(sheet.entry.submission_id, sheet.member_id): sheet for sheet in sheets}
    now = timezone.now() if submit else None
    scores, changed = [], []
    for submission, totals in totals_by_submission.items():
        for member_, total in zip(members, totals, strict=True):
            sheet = by_key[(submission.pk, member_.pk)]
            sheet.total, sheet.complete, sheet.submitted_at = Decimal(total), True, now
            changed.append(sheet)
            for code, points in split(total).items():
                scores.append(MemberScore(sheet=sheet, code=code, raw=str(points).replace(".", ","), points=points))
    MemberSheet.objects.bulk_update(changed, ["total", "complete", "submitted_at"], batch_size=500)
    MemberScore.objects.bulk_create(scores, batch_size=1000)
    if submit:
        CouncilEntry.objects.filter(council=council).update(sheets_submitted=len(members))
