"""A recognised OCOP round built in bulk for the statistics, API and export tests: products of producers spread over
communes, scored by one council, closed, recognised (the province's decision and the national one) and published,
all through the services."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cms.directory.products.models import Producer, ProducerKind, Product
from cms.directory.text import search_fold
from submissions.models import Round, Submission, SubmissionStatus
from submissions.ocop.certificates import national_recognition_record, products_recognise
from submissions.ocop.scoring import council_close
from submissions.review.bulk import submissions_publish
from tests.submissions.ocop.factories import council_with, dossiers, group, ocop_version, product_round, scored

#: Groups products cycle through (a top-level group without sub-groups, and sub-groups of another).
GROUP_CODES = ("do-uong", "tp-mat-ong-nong-san-khac", "tp-gao-ngu-coc-so-che", "duoc-lieu")
PROVINCE_DECISION = "1234/QĐ-UBND"
NATIONAL_DECISION = "567/QĐ-BNN"


@dataclass
class RecognisedRound:
    round: Round
    office: object
    council: object
    submissions: list[Submission]
    products: list[Product]
    by_stars: dict[int, int] = field(default_factory=dict)


def products_in(communes, count: int, *, per_producer: int = 3, prefix: str = "Sản phẩm", groups=None) -> list:
    """``count`` products (bulk), ``per_producer`` per producer, producers spread over ``communes`` in turn."""
    kinds = list(ProducerKind)
    producers = Producer.objects.bulk_create(
        [
            Producer(
                name=f"Hợp tác xã {prefix} {index + 1}",
                search_name=search_fold(f"Hợp tác xã {prefix} {index + 1}"),
                kind=kinds[index % len(kinds)],
                registration_number=f"{prefix[:2]}{index:05d}",
                address=f"Ấp {index % 7 + 1}",
                commune=communes[index % len(communes)],
                representative="Nguyễn Thị Liên Hệ",
                phone="0987 654 321",
                email=f"lienhe{index}@example.vn",
            )
            for index in range((count + per_producer - 1) // per_producer)
        ]
    )
    rows = groups or [group(code) for code in GROUP_CODES]
    products = Product.objects.bulk_create(
        [
            Product(
                producer=producers[index // per_producer],
                name=f"{prefix} {index + 1}",
                search_name=search_fold(f"{prefix} {index + 1}"),
                group=rows[index % len(rows)],
            )
            for index in range(count)
        ]
    )
    return list(Product.objects.filter(pk__in=[p.pk for p in products]).select_related("producer").order_by("pk"))


def recognised_round(province, communes, office, member_totals: list[tuple], *, prefix="Sản phẩm", groups=None):
    """A product per tuple of member totals, through the whole flow: scored, closed, recognised (the province's
    decision for 3–4 stars, the national one for 5), every recognised product published."""
    version = ocop_version(code=f"OCOP_{search_fold(prefix).replace(' ', '_').upper()}")
    round_ = product_round(province, version, office=office)
    products = products_in(communes, len(member_totals), prefix=prefix, groups=groups)
    submissions = dossiers(round_, products)
    by_product = {submission.product_id: submission for submission in submissions}
    ordered = [by_product[product.pk] for product in products]
    council = council_with(round_, province=province)
    scored(
        council,
        {
            submission: tuple(Decimal(str(t)) for t in totals)
            for submission, totals in zip(ordered, member_totals, strict=True)
        },
        office=office,
    )
    council_close(council=council, user=council.members.get(is_chair=True).user)
    closed = list(Submission.objects.filter(round=round_).select_related("product").order_by("pk"))
    day = datetime.date(2026, 11, 20)
    products_recognise(
        round_=round_,
        submissions=[s for s in closed if s.stars is not None and s.stars < 5],
        user=office,
        decision_number=PROVINCE_DECISION,
        decision_date=day,
    )
    five = [s for s in closed if s.stars == 5]
    if five:
        national_recognition_record(round_=round_, submissions=five, user=office, number=NATIONAL_DECISION, date=day)
    recognised = list(Submission.objects.filter(round=round_, status=SubmissionStatus.RECOGNISED))
    submissions_publish(submissions=recognised, user=office)
    return RecognisedRound(round_, office, council, closed, products)
