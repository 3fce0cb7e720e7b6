"""What recognition needs besides the criteria, asked by the review flow before it recognises (one place).

A precondition of the round's frozen set version stands, for one submission, as:

- waived: the office waived it with a reason (whatever its kind);
- confirmation, figure entered: what the department (or the office) confirmed or entered, pending until then;
- figure from the residents' satisfaction: the rate as computed now (:func:`satisfaction_rates`) against the
  threshold, pending while nobody answered;
- title: met while the unit holds the required title now (not revoked), checked live.

The single recognition (:func:`submissions.review.flow.recognise`), the bulk one and the pages all ask here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from criteria_pages.evaluation import compare
from criteria_pages.spec import Comparison, FigureSource, IndicatorSpec, PreconditionKind, PreconditionSpec, ValueType
from submissions.consultation.rates import satisfaction_rates
from submissions.models import Submission
from submissions.recognition.models import PreconditionResult, PreconditionStatus
from submissions.titles.models import Title

#: The statuses that let recognition go ahead.
CLEARED = (PreconditionStatus.MET, PreconditionStatus.WAIVED)


def is_live(spec: PreconditionSpec) -> bool:
    """Whether the system checks the precondition itself (a title held, the satisfaction rate), rather than a
    department confirming it."""
    return spec.kind == PreconditionKind.TITLE or (
        spec.kind == PreconditionKind.FIGURE and spec.source == FigureSource.SATISFACTION
    )


def figure_met(spec: PreconditionSpec, value: Decimal) -> bool:
    """Whether ``value`` satisfies the precondition's comparison with its threshold (the criteria's comparison)."""
    if spec.threshold is None:
        return False
    comparison = spec.comparison if spec.comparison != Comparison.IN else Comparison.EQ
    indicator = IndicatorSpec(code=spec.code, name=spec.name, value_type=ValueType.NUMBER, comparison=comparison)
    return compare(indicator, Decimal(value), spec.threshold)


@dataclass(frozen=True)
class Standing:
    """Where one precondition stands for one submission now."""

    status: str
    value: Decimal | None = None

    @property
    def cleared(self) -> bool:
        return self.status in CLEARED


def standing(
    spec: PreconditionSpec, result: PreconditionResult | None, *, held: set[str], rate: Decimal | None
) -> Standing:
    """The precondition's status from its stored row (``None``: not made yet), the titles the unit holds now and
    the satisfaction rate now (``rate`` is read only for a satisfaction figure)."""
    if result is not None and result.status == PreconditionStatus.WAIVED:
        return Standing(PreconditionStatus.WAIVED, result.value)
    if spec.kind == PreconditionKind.TITLE:
        return Standing(PreconditionStatus.MET if spec.required_title in held else PreconditionStatus.UNMET)
    if spec.kind == PreconditionKind.FIGURE and spec.source == FigureSource.SATISFACTION:
        if rate is None:
            return Standing(PreconditionStatus.PENDING)
        return Standing(PreconditionStatus.MET if figure_met(spec, rate) else PreconditionStatus.UNMET, rate)
    if result is None:
        return Standing(PreconditionStatus.PENDING)
    return Standing(result.status, result.value)


@dataclass
class LiveInputs:
    """What the live preconditions of some submissions read, fetched once for all of them."""

    results: dict[int, dict[str, PreconditionResult]]
    held: dict[int, set[str]]  # unit id -> current title kinds
    rates: dict[int, Decimal | None]  # submission id -> satisfaction rate

    def standing(self, submission: Submission, spec: PreconditionSpec) -> Standing:
        return standing(
            spec,
            self.results[submission.pk].get(spec.code),
            held=self.held[submission.unit_id],
            rate=self.rates.get(submission.pk),
        )


def live_inputs(
    submissions: Iterable[Submission], *, results: dict[int, dict[str, PreconditionResult]] | None = None
) -> LiveInputs:
    """The stored rows (unless given, by submission id and code), the current titles and the satisfaction rates of
    ``submissions``: one query for the rows, one for the titles, and the satisfaction rates of the submissions that
    have a satisfaction figure not waived read together (:func:`satisfaction_rates`, three queries)."""
    submissions = list(submissions)
    given = results is not None
    results = {submission.pk: dict((results or {}).get(submission.pk, {})) for submission in submissions}
    held: dict[int, set[str]] = defaultdict(set)
    rates: dict[int, Decimal | None] = {}
    with_preconditions = [submission for submission in submissions if submission.round.spec.preconditions]
    if not with_preconditions:
        return LiveInputs(results, held, rates)
    if not given:
        for result in PreconditionResult.objects.filter(submission__in=with_preconditions):
            results[result.submission_id][result.code] = result
    titled = {
        submission.unit_id
        for submission in with_preconditions
        if any(spec.kind == PreconditionKind.TITLE for spec in submission.round.spec.preconditions)
    }
    if titled:
        for unit_id, kind in Title.objects.current().filter(unit_id__in=titled).values_list("unit_id", "kind"):
            held[unit_id].add(kind)
    rated = [
        submission
        for submission in with_preconditions
        if any(
            _reads_satisfaction(spec, results[submission.pk].get(spec.code))
            for spec in submission.round.spec.preconditions
        )
    ]
    rates = {pk: rate.rate for pk, rate in satisfaction_rates(rated).items()}
    return LiveInputs(results, held, rates)


def _reads_satisfaction(spec: PreconditionSpec, result: PreconditionResult | None) -> bool:
    """Whether the precondition stands on the satisfaction rate now (a satisfaction figure, not waived)."""
    waived = result is not None and result.status == PreconditionStatus.WAIVED
    return is_live(spec) and spec.kind == PreconditionKind.FIGURE and not waived


def blocker_sentence(spec: PreconditionSpec, status: str) -> str:
    """ "Chưa đạt điều kiện DK2. Không có nợ đọng xây dựng cơ bản." (and why, when it was never confirmed)."""
    sentence = _("Chưa đạt điều kiện %(code)s. %(name)s.") % {"code": spec.code, "name": spec.name.strip().rstrip(".")}
    if status == PreconditionStatus.PENDING:
        sentence += " " + _("Chưa được xác nhận.")
    return sentence


def recognition_blockers_many(submissions: Iterable[Submission]) -> dict[int, list[str]]:
    """:func:`recognition_blockers` of each submission (by id), read in a fixed number of queries however many
    submissions there are (:func:`live_inputs`)."""
    submissions = list(submissions)
    inputs = live_inputs(submissions)
    blockers = {}
    for submission in submissions:
        blockers[submission.pk] = [
            blocker_sentence(spec, state.status)
            for spec in submission.round.spec.preconditions
            if not (state := inputs.standing(submission, spec)).cleared
        ]
    return blockers


def recognition_blockers(submission: Submission) -> list[str]:
    """Why ``submission`` may not be recognised yet (Vietnamese sentences; empty: it may).

    Every precondition of the round's set version must be met or waived by the office with a reason.
    """
    return recognition_blockers_many([submission])[submission.pk]
