"""Bar 2 of issue 16: member scores on and around every band edge go through a council, and each product gets the
stars its rounded council score reaches (the mean of the exact totals, rounded half up to 2 decimals once)."""

from decimal import Decimal

import pytest

from cms.directory.models import Role
from criteria_pages.evaluation import council_score, round_score
from criteria_pages.spec import ScoreAverage, ScoreRounding, ScoringRule
from submissions.errors import SubmissionError
from submissions.models import SubmissionStatus
from submissions.ocop.models import CouncilEntry, CouncilStatus
from submissions.ocop.scoring import council_close
from tests.factories import member
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    ocop_version,
    product_round,
    scored,
)

D = Decimal
EDGES = [
    # member totals, council score, stars
    ((0, 0, 0), "0.00", 1),
    (("29.99", 30, 30), "30.00", 2),  # 29.9966… rounds up onto the edge
    ((30, 30, "29.98"), "29.99", 1),  # 29.9933… stays below it
    (("49.99", 50, 50), "50.00", 3),
    ((50, 50, "49.98"), "49.99", 2),
    (("69.99", 70, 70), "70.00", 4),
    ((70, 70, "69.98"), "69.99", 3),
    (("89.99", 90, 90), "90.00", 5),
    ((90, 90, "89.98"), "89.99", 4),
    ((100, 100, 100), "100.00", 5),
    ((55, 65, 60), "60.00", 3),
]


@pytest.fixture
def council_world(area):
    version = ocop_version()
    round_ = product_round(area["province"], version, office=area["office"])
    producer = ProducerFactory(commune=area["communes"]["hoa_thuan"])
    products = [ProductFactory(producer=producer, name=f"Sản phẩm {i}") for i in range(len(EDGES))]
    council = council_with(round_, province=area["province"])
    return {"round": round_, "products": products, "council": council, "office": area["office"]}


def test_every_band_edge_gets_exactly_its_stars(council_world, django_assert_max_num_queries):
    submissions = dossiers(council_world["round"], council_world["products"])
    totals = {submission: tuple(D(str(t)) for t in EDGES[i][0]) for i, submission in enumerate(submissions)}
    scored(council_world["council"], totals, office=council_world["office"])
    chair = council_world["council"].members.get(is_chair=True).user
    with django_assert_max_num_queries(20):
        council_close(council=council_world["council"], user=chair)
    for i, submission in enumerate(submissions):
        submission.refresh_from_db()
        expected_score, expected_stars = D(EDGES[i][1]), EDGES[i][2]
        assert (submission.points, submission.stars) == (expected_score, expected_stars), EDGES[i]
        assert submission.status == SubmissionStatus.RECOGNITION
        assert submission.standard_reached == (expected_stars >= 3)
        entry = submission.council_entry
        assert entry.proposed_national_at is not None if expected_stars == 5 else entry.proposed_national_at is None
    council_world["council"].refresh_from_db()
    assert council_world["council"].status == CouncilStatus.CLOSED


def test_half_up_not_bankers_rounding_and_the_rule_can_say_otherwise():
    assert round_score(D("69.995"), ScoringRule()) == D("70.00")
    assert round_score(D("69.985"), ScoringRule()) == D("69.99")
    assert round_score(D("69.985"), ScoringRule(rounding=ScoreRounding.HALF_EVEN)) == D("69.98")
    assert round_score(D("69.999"), ScoringRule(rounding=ScoreRounding.DOWN)) == D("69.99")
    # The mean is taken of the exact totals and rounded once, never rounded member by member.
    assert council_score([D("69.99"), D(70), D(70)], ScoringRule()) == D("70.00")
    trimmed = ScoringRule(average=ScoreAverage.TRIMMED_MEAN)
    assert council_score([D(10), D(60), D(60), D(60), D(100)], trimmed) == D("60.00")
    assert council_score([D(10), D(60), D(100)], trimmed) == D("56.67")  # fewer than 5: a plain mean


def test_a_wide_spread_is_flagged_for_discussion_but_does_not_block_the_close(council_world):
    first, second = dossiers(council_world["round"], council_world["products"][:2])
    scored(council_world["council"], {first: (60, 60, 75), second: (60, 60, 70)}, office=council_world["office"])
    chair = council_world["council"].members.get(is_chair=True).user
    council_close(council=council_world["council"], user=chair)
    flagged = dict(CouncilEntry.objects.values_list("submission_id", "flagged"))
    assert flagged == {first.pk: True, second.pk: False}
    assert CouncilEntry.objects.get(submission=first).spread == D(15)


def test_only_the_chair_closes_and_only_when_every_sheet_is_submitted(council_world, area):
    (submission,) = dossiers(council_world["round"], council_world["products"][:1])
    scored(council_world["council"], {submission: (60, 60, 60)}, office=council_world["office"], submit=False)
    council = council_world["council"]
    member_ = council.members.filter(is_chair=False).first().user
    with pytest.raises(SubmissionError, match="Chỉ chủ tịch"):
        council_close(council=council, user=member_)
    outsider = member(Role.COUNCIL_MEMBER, unit=area["province"])
    with pytest.raises(SubmissionError, match="Chỉ chủ tịch"):
        council_close(council=council, user=outsider)
    chair = council.members.get(is_chair=True).user
    with pytest.raises(SubmissionError, match="3 phiếu chấm chưa nộp"):
        council_close(council=council, user=chair)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SCORING
