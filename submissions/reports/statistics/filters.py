"""The filters every statistics selector shares (:class:`Filters`), and the small helpers they use."""

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from cms.directory.models import Unit, within_q
from submissions.models import Basis, Round, Submission, counted_q

TWO_PLACES = Decimal("0.01")


def subtree_q(parent: Unit | None, *, prefix: str = "", across_editions: bool = False) -> Q:
    """Units in ``parent``'s subtree (``prefix`` reaches the unit): in its edition (:func:`within_q`), or,
    ``across_editions``, every unit whose code path starts with the parent's in any edition, so that the
    same province in the three-level and the two-level lists keeps one history. No condition without
    ``parent``."""
    if parent is None:
        return Q()
    if across_editions:
        return Q(**{f"{prefix}path__startswith": parent.path})
    return within_q(parent, prefix=prefix)


@dataclass(frozen=True)
class Filters:
    """Which submissions of which round: the arguments every selector here shares."""

    round: Round
    parent: Unit | None = None
    unit: Unit | None = None
    group: str = ""
    basis: str = Basis.ALL
    #: Read once by :meth:`resolved` for a series of queries on a subtree: the ids of the round's
    #: submissions under these filters and of their units. Queries then look submissions up by primary
    #: key instead of joining the unit table and scanning the whole round each time.
    submission_ids: tuple[int, ...] | None = None
    unit_ids: tuple[int, ...] | None = None
    #: ``parent`` matched by code path in every edition (see :func:`subtree_q`), as the public site does.
    across_editions: bool = False

    def resolved(self) -> "Filters":
        """These filters with the submissions of the subtree read once (one query); unchanged without
        ``parent`` or ``unit`` (a whole round is better scanned than listed)."""
        if (self.parent is None and self.unit is None) or self.submission_ids is not None:
            return self
        rows = list(Submission.objects.filter(self.where()).order_by().values_list("pk", "unit_id"))
        return dataclasses.replace(
            self, submission_ids=tuple(pk for pk, _unit in rows), unit_ids=tuple(unit for _pk, unit in rows)
        )

    def units(self, prefix: str = "") -> Q:
        """The unit filters only (subtree, one unit), for a query on ``prefix`` + Submission fields."""
        if self.unit_ids is not None:
            return Q(**{f"{prefix}unit_id__in": self.unit_ids})
        condition = subtree_q(self.parent, prefix=f"{prefix}unit__", across_editions=self.across_editions)
        if self.unit is not None:
            condition &= Q(**{f"{prefix}unit_id": self.unit.pk})
        return condition

    def where(self, prefix: str = "") -> Q:
        """The round, unit and group filters (not the basis), for a query on ``prefix`` + Submission fields."""
        if self.submission_ids is not None:
            return Q(**{f"{prefix}pk__in": self.submission_ids})
        condition = Q(**{f"{prefix}round_id": self.round.pk}) & self.units(prefix)
        if self.group:
            condition &= Q(**{f"{prefix}group": self.group})
        return condition

    def counted(self, prefix: str = "") -> Q | None:
        """The basis as a condition, or None when every submission counts."""
        return counted_q(self.basis, prefix)

    def counted_where(self, prefix: str = "") -> Q:
        counted = self.counted(prefix)
        where = self.where(prefix)
        return where if counted is None else where & counted


def both(first: Q | None, second: Q) -> Q:
    """``first & second``, or ``second`` alone when ``first`` is None (every submission counts)."""
    return second if first is None else first & second


def average(total: int | None, count: int) -> Decimal:
    """``total / count`` to two places, halves rounded up; 0.00 without a count."""
    if not count:
        return Decimal("0.00")
    return (Decimal(total or 0) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
