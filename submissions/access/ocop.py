"""OCOP: councils and their blind score sheets, decisions and certificates (part of :mod:`submissions.access`;
import from there). Who fills and reads a product's dossier is in ``core`` (``producer_dossiers_q``,
``council_dossiers_q``), beside the other subjects.

- The office of a round's province forms its councils, assigns dossiers, recognises and issues certificates.
- A council member reads the dossiers of their councils and fills only their own sheet. The other members'
  sheets of an entry open to them only once their own sheet of that entry is submitted (blind scoring).
- The office sees who has submitted while the council scores, and the scores only once the chair has closed it.
- The chair closes the council when every sheet of every entry is submitted.
- A producer reads its own certificates; the office those of its province; the public, the public ones
  (``Certificate.objects.public()``).
"""

from django.db.models import Q, QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role
from submissions.models import Round, RoundSubject, Submission
from submissions.ocop.models import Certificate, Council, CouncilEntry, CouncilMember, MemberSheet

from .core import is_office_for, rounds_managed_by


def councils_managed_by(user) -> QuerySet[Council]:
    """Councils of the product rounds of the office's provinces (all for a superuser)."""
    rounds = rounds_managed_by(user).filter(subject=RoundSubject.PRODUCT)
    return Council.objects.filter(round__in=rounds.values("pk")).select_related("round", "unit")


def may_manage_councils(user, round_: Round) -> bool:
    """Whether ``user`` forms the councils of ``round_`` and assigns its dossiers (the office of its province)."""
    return round_.evaluates_products and rounds_managed_by(user).filter(pk=round_.pk).exists()


def councils_of_member(user) -> QuerySet[Council]:
    """The councils ``user`` sits on."""
    if not (user is not None and user.is_authenticated):
        return Council.objects.none()
    return Council.objects.filter(members__user=user).select_related("round", "unit")


def membership_in(user, council: Council) -> CouncilMember | None:
    """``user``'s seat on ``council``, or None."""
    if not (user is not None and user.is_authenticated):
        return None
    return CouncilMember.objects.filter(council=council, user=user).first()


def is_council_member(user, council: Council) -> bool:
    return membership_in(user, council) is not None


def is_chair(user, council: Council) -> bool:
    member = membership_in(user, council)
    return bool(member and member.is_chair)


def councils_visible_to(user) -> QuerySet[Council]:
    """The councils ``user`` may open: those they sit on, and those their office manages."""
    return Council.objects.filter(
        Q(pk__in=councils_of_member(user).values("pk")) | Q(pk__in=councils_managed_by(user).values("pk"))
    ).select_related("round", "unit")


def entries_visible_to(user) -> QuerySet[CouncilEntry]:
    """Entries of the councils ``user`` may open."""
    return CouncilEntry.objects.filter(council__in=councils_visible_to(user).values("pk")).select_related(
        "council", "submission__product__producer", "submission__unit"
    )


def sheets_of_member(user) -> QuerySet[MemberSheet]:
    """``user``'s own score sheets (every council they sit on)."""
    if not (user is not None and user.is_authenticated):
        return MemberSheet.objects.none()
    return MemberSheet.objects.filter(member__user=user).select_related("entry__council", "member")


def sheet_of(user, entry: CouncilEntry) -> MemberSheet | None:
    """``user``'s own sheet of ``entry`` (None when they do not sit on its council)."""
    return sheets_of_member(user).filter(entry=entry).first()


def sheets_visible_to(user, entry: CouncilEntry) -> QuerySet[MemberSheet]:
    """The sheets of ``entry`` whose scores ``user`` may read: their own always; the other members' only once their
    own sheet of this entry is submitted; the office's (and a superuser's) only once the council is closed."""
    sheets = MemberSheet.objects.filter(entry=entry).select_related("member__user")
    own = sheet_of(user, entry)
    if own is not None:
        return sheets if own.is_submitted else sheets.filter(pk=own.pk)
    council = entry.council
    if not council.is_open and councils_managed_by(user).filter(pk=council.pk).exists():
        return sheets
    return sheets.none()


def may_close_council(user, council: Council) -> bool:
    """The chair closes an open council once every sheet of every entry is submitted (the service checks that)."""
    return council.is_open and is_chair(user, council)


def may_recognise_products(user, round_: Round) -> bool:
    """The office of the round's province recognises its products and records the national decision."""
    return may_manage_councils(user, round_)


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """A producer's own certificates, the office's province's (and every one for a superuser)."""
    scopes = scopes_of(user)
    queryset = Certificate.objects.select_related("product__producer__commune", "decision", "submission")
    if not scopes.authenticated:
        return queryset.none()
    if scopes.reads_nationally:
        return queryset
    return queryset.filter(
        Q(product__producer_id__in=scopes.producers())
        | scopes.units_q(Role.OFFICE_EDITOR, prefix="product__producer__commune__")
    )


def may_print_certificate(user, certificate: Certificate) -> bool:
    return certificates_visible_to(user).filter(pk=certificate.pk).exists()


def is_office_for_dossier(user, submission: Submission) -> bool:
    """The office of the dossier's province checks it, returns it and assigns it to a council."""
    return bool(submission.product_id) and is_office_for(user, submission)
