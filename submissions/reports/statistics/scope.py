"""Which units and which round the statistics are about: a unit by code in a round's edition, the counted
submissions, the round a user's dashboard follows."""

from django.db.models import Exists, OuterRef, QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role, Unit, within_any_q
from submissions.access import office_scope
from submissions.models import Basis, Round, RoundStatus, Submission

from .filters import Filters


def unit_in_round(round_: Round, code: str) -> Unit | None:
    """The unit with official ``code`` in the edition of the round's units (codes repeat across editions)."""
    if round_.scope_root_id:
        editions = Unit.objects.filter(pk=round_.scope_root_id).values("edition_id")
    else:
        editions = round_.scope_units.values("edition_id")
    return Unit.objects.filter(code=code.strip(), edition_id__in=editions).select_related("edition").first()


def round_submissions(
    round_: Round, *, parent: Unit | None = None, unit: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> QuerySet[Submission]:
    """The submissions counted under these filters."""
    return Submission.objects.filter(Filters(round_, parent, unit, group, basis).counted_where())


def dashboard_round(user) -> tuple[Round, Unit | None] | None:
    """The open round the user's dashboard follows (the latest opened with units in their scope), and
    the subtree to count; None if the user reads no unpublished statistics or no round is open."""
    rounds = Round.objects.filter(status=RoundStatus.OPEN).select_related("criteria_version", "scope_root")
    scope = office_scope(user)
    if not scope.allowed:
        # An office holding its province in several lists follows the newest open round of any of them.
        offices = scopes_of(user).units(Role.OFFICE_EDITOR)
        if not offices or not office_scope(user, offices[0]).allowed:
            return None
        round_ = rounds.filter(within_any_q(offices, prefix="scope_root__")).order_by("-opens_on", "-pk").first()
        return None if round_ is None else (round_, office_scope(user, round_=round_).parent)
    if scope.parent is not None:
        rounds = rounds.filter(Exists(Submission.objects.filter(round_id=OuterRef("pk")).within(scope.parent)))
    round_ = rounds.order_by("-opens_on", "-pk").first()
    return None if round_ is None else (round_, scope.parent)
