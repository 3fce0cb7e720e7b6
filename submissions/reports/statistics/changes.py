"""The change from the previous round: the criteria each unit gained and lost."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from cms.directory.models import Unit
from submissions.models import Basis, CriterionResult, Round, RoundStatus, Submission

from .filters import Filters, both


def previous_round(round_: Round) -> Round | None:
    """The round to compare with: ``prefill_from`` or else the latest earlier round of the same set code."""
    if round_.prefill_from_id:
        return Round.objects.select_related("criteria_version").get(pk=round_.prefill_from_id)
    earlier = Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk)
    return (
        Round.objects.filter(earlier, criteria_version__spec__code=round_.spec.code)
        .exclude(status=RoundStatus.DRAFT)
        .exclude(pk=round_.pk)
        .select_related("criteria_version")
        .order_by("-opens_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class UnitChange:
    unit_id: int
    unit_code: str
    unit_name: str
    gained: tuple[int, ...]  # criteria met now, not met in the previous round
    lost: tuple[int, ...]  # criteria met in the previous round, not now


@dataclass(frozen=True)
class RoundChanges:
    previous: Round | None
    units_compared: int  # units with a counted submission in both rounds
    units: tuple[UnitChange, ...]  # only units whose verdicts changed, in the order of the unit tree

    @property
    def criteria_gained(self) -> int:
        return sum(len(item.gained) for item in self.units)

    @property
    def criteria_lost(self) -> int:
        return sum(len(item.lost) for item in self.units)

    @property
    def units_improved(self) -> int:
        return sum(len(item.gained) > len(item.lost) for item in self.units)

    @property
    def units_declined(self) -> int:
        return sum(len(item.gained) < len(item.lost) for item in self.units)


def round_changes(
    round_: Round,
    *,
    previous: Round | None = None,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> RoundChanges:
    """Criteria each unit gained and lost since ``previous`` (default :func:`previous_round`): four
    queries (six under ``parent``).

    The same unit (same directory row) is compared criterion by criterion (``CriterionResult.met``); the
    previous round's submissions count under the same basis. One grouped query over both rounds' verdicts
    keeps the (unit, criterion) pairs whose verdict changed; only those rows come back.
    """
    return changes_of(Filters(round_, parent, None, group, basis).resolved(), previous)


def changes_of(filters: Filters, previous: Round | None = None) -> RoundChanges:
    round_ = filters.round
    previous = previous or previous_round(round_)
    if previous is None:
        return RoundChanges(None, 0, ())
    # The current round's submissions under the filters, and the previous round's of the same units.
    if filters.submission_ids is not None:
        earlier = Submission.objects.filter(round_id=previous.pk, unit_id__in=filters.unit_ids)
        ids = filters.submission_ids + tuple(earlier.values_list("pk", flat=True))

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}pk__in": ids})

    else:

        def scope(prefix: str) -> Q:
            return filters.where(prefix) | (Q(**{f"{prefix}round_id": previous.pk}) & filters.units(prefix))

    now, before = Q(submission__round_id=round_.pk), Q(submission__round_id=previous.pk)
    changed = (
        CriterionResult.objects.filter(both(filters.counted("submission__"), scope("submission__")))
        .order_by()
        .values_list("submission__unit_id", "number")
        .annotate(
            now_rows=Count("pk", filter=now),
            now_met=Count("pk", filter=now & Q(met=True)),
            before_rows=Count("pk", filter=before),
            before_met=Count("pk", filter=before & Q(met=True)),
        )
        .filter(now_rows=1, before_rows=1)
        .exclude(now_met=F("before_met"))
        .values_list("submission__unit_id", "number", "now_met")
    )
    by_unit: dict[int, tuple[list[int], list[int]]] = {}
    for unit_id, number, met_now in changed:
        gained, lost = by_unit.setdefault(unit_id, ([], []))
        (gained if met_now else lost).append(number)
    now_submission, before_submission = Q(round_id=round_.pk), Q(round_id=previous.pk)
    compared = (
        Submission.objects.filter(both(filters.counted(), scope("")))
        .order_by()
        .values("unit_id")
        .annotate(now=Count("pk", filter=now_submission), before=Count("pk", filter=before_submission))
        .filter(now=1, before=1)
        .count()
    )
    units = (
        Unit.objects.filter(pk__in=list(by_unit)).order_by("path").values_list("pk", "code", "name") if by_unit else []
    )
    return RoundChanges(
        previous,
        compared,
        tuple(
            UnitChange(pk, code, name, tuple(sorted(by_unit[pk][0])), tuple(sorted(by_unit[pk][1])))
            for pk, code, name in units
        ),
    )
