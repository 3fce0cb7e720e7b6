"""What the councils' screens and API read: councils and their progress, a member's sheets, one sheet grouped by part,
the ranked results once closed. The blind rule is :func:`submissions.access.sheets_visible_to`: nothing here reads
another member's scores except through it, and the progress of an open council says who submitted, never what.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from criteria_pages.evaluation import InvalidValue, coerce_value
from submissions import access
from submissions.models import Evidence, Round, RoundSubject, SubmissionStatus
from submissions.ocop.models import Council, CouncilEntry, CouncilMember, CouncilStatus, MemberScore, MemberSheet
from submissions.ocop.scoring import entry_result, score_items, scoring_rule


def _scores() -> Prefetch:
    """A sheet's scores, in the order written (explicit: the model's default ordering cannot be compiled)."""
    return Prefetch("scores", queryset=MemberScore.objects.order_by("pk"))


def councils_listed(user) -> QuerySet[Council]:
    """The councils ``user`` may open (theirs as a member, their office's), with their numbers of members and
    dossiers: one query."""
    return (
        access.councils_visible_to(user)
        .annotate(member_count=Count("members", distinct=True), entry_count=Count("entries", distinct=True))
        .order_by("-round__period_start", "round_id", "pk")
    )


def rounds_for_councils(user) -> QuerySet[Round]:
    """The product rounds whose councils ``user`` forms (the office of their province)."""
    return access.rounds_managed_by(user).filter(subject=RoundSubject.PRODUCT).order_by("-period_start", "pk")


def council_members(council: Council) -> list[CouncilMember]:
    return list(council.members.select_related("user").order_by("-is_chair", "pk"))


@dataclass
class EntryProgress:
    """One dossier of a council: who has submitted their sheet (never their scores while the council scores)."""

    entry: CouncilEntry
    submitted: list[CouncilMember] = field(default_factory=list)
    pending: list[CouncilMember] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.pending


def council_progress(council: Council, members: list[CouncilMember] | None = None) -> list[EntryProgress]:
    """Per dossier, the members who submitted their sheet and those still scoring: two queries."""
    members = members if members is not None else council_members(council)
    by_pk = {member.pk: member for member in members}
    entries = council.entries.select_related("submission__product__producer", "submission__unit").order_by(
        "submission__product__name", "pk"
    )
    rows = {entry.pk: EntryProgress(entry) for entry in entries}
    sheets = MemberSheet.objects.filter(entry__council=council).values_list("entry_id", "member_id", "submitted_at")
    for entry_id, member_id, submitted_at in sheets.order_by("member_id"):
        if entry_id in rows and member_id in by_pk:
            (rows[entry_id].submitted if submitted_at else rows[entry_id].pending).append(by_pk[member_id])
    return list(rows.values())


def entries_ranked(council: Council) -> QuerySet[CouncilEntry]:
    """The council's dossiers by score, highest first (meaningful once the chair closed the scoring)."""
    return council.entries.select_related("submission__product__producer", "submission__unit").order_by(
        "-score", "submission__product__name", "pk"
    )


def close_preview(council: Council) -> dict:
    """What the chair reads before closing: how many sheets are still pending and, once none is, each dossier's
    result as the close would write it, the flagged ones (spread above the rule's gap) first."""
    sheets = list(MemberSheet.objects.filter(entry__council=council).values_list("entry_id", "total", "submitted_at"))
    pending = sum(1 for _entry, _total, submitted_at in sheets if submitted_at is None)
    if pending:
        return {"pending": pending, "rows": [], "flagged": []}
    totals = defaultdict(list)
    for entry_id, total, _submitted in sheets:
        totals[entry_id].append(total)
    rule = scoring_rule(council.round)
    bands = council.round.spec.bands
    rows = []
    for entry in entries_ranked(council):
        if totals[entry.pk]:
            rows.append({"entry": entry, **entry_result(totals[entry.pk], rule, bands)})
    rows.sort(key=lambda row: (not row["flagged"], -(row["score"] or 0)))
    return {"pending": 0, "rows": rows, "flagged": [row for row in rows if row["flagged"]], "gap": rule.gap}


def sheets_of(user) -> QuerySet[MemberSheet]:
    """``user``'s own sheets, newest council first, with what the list shows: one query."""
    return (
        access.sheets_of_member(user)
        .select_related("entry__submission__product__producer", "entry__council__round")
        .order_by("-entry__council__created_at", "entry__council_id", "entry__submission__product__name", "pk")
    )


def sheet_for_member(user, pk: int) -> MemberSheet | None:
    """``user``'s own sheet ``pk`` (None for anyone else's: a 404), with its council, round and scores."""
    return (
        access.sheets_of_member(user)
        .select_related(
            "entry__council__round__criteria_version", "entry__submission__product__producer", "member__user"
        )
        .prefetch_related(_scores())
        .filter(pk=pk)
        .first()
    )


@dataclass
class Part:
    """One part (criterion) of the score sheet: its items with the points given, and the subtotal."""

    number: int
    name: str
    items: list = field(default_factory=list)
    maximum: Decimal = Decimal(0)
    subtotal: Decimal = Decimal(0)


def sheet_parts(round_: Round, scores: dict[str, MemberScore]) -> list[Part]:
    """The sheet's items grouped by part, each with the stored score (or None) and the part's subtotal."""
    parts: dict[int, Part] = {}
    for criterion, indicator in score_items(round_):
        part = parts.setdefault(criterion.number, Part(criterion.number, criterion.name))
        score = scores.get(indicator.code)
        part.items.append({"indicator": indicator, "score": score})
        part.maximum += indicator.points or 0
        if score is not None and score.points is not None:
            part.subtotal += score.points
    return list(parts.values())


def others_visible(user, sheet: MemberSheet) -> list[dict]:
    """The other members' submitted sheets of the same dossier that ``user`` may read (none until their own sheet
    is submitted: :func:`submissions.access.sheets_visible_to`), each with its scores by part."""
    visible = (
        access.sheets_visible_to(user, sheet.entry)
        .exclude(pk=sheet.pk)
        .filter(submitted_at__isnull=False)
        .prefetch_related(_scores())
        .order_by("-member__is_chair", "member_id")
    )
    round_ = sheet.entry.council.round
    return [
        {"sheet": other, "parts": sheet_parts(round_, {score.code: score for score in other.scores.all()})}
        for other in visible
    ]


def entry_for(user, pk: int) -> CouncilEntry | None:
    """A dossier of a council ``user`` may open (a member's, or the office's), or None."""
    return (
        access.entries_visible_to(user)
        .select_related("council__round__criteria_version", "submission__product__group")
        .prefetch_related(
            Prefetch("submission__values"),
            Prefetch("submission__evidence", queryset=_current_evidence()),
        )
        .filter(pk=pk)
        .first()
    )


def _current_evidence():
    return Evidence.objects.current().order_by("indicator_code", "pk")


def assignable_submissions(council: Council) -> QuerySet:
    """The submitted dossiers of the council's round not yet in any council (what the office may assign)."""
    return (
        council.round.submissions.filter(
            Q(status=SubmissionStatus.SUBMITTED), product__isnull=False, council_entry__isnull=True
        )
        .select_related("product__producer", "unit")
        .order_by("product__name", "pk")
    )


def is_closed(council: Council) -> bool:
    return council.status == CouncilStatus.CLOSED


def sheet_errors(round_: Round, scores: dict[str, MemberScore]) -> dict[str, str]:
    """Why each stored value that cannot be read is refused (what the member typed is kept as typed)."""
    errors = {}
    for _criterion, indicator in score_items(round_):
        score = scores.get(indicator.code)
        if score is None or not score.raw:
            continue
        try:
            coerce_value(indicator, score.raw)
        except InvalidValue as error:
            errors[indicator.code] = str(error)
    return errors
