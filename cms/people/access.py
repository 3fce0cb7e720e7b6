"""Who may see and change which people: the one place the people app decides it.

An office editor *lists* everyone with a membership in their province (and the people their office keeps a
record of, :attr:`Profile.province_code`, even with no membership left). They *change* (edit, deactivate,
reactivate, invite, grant or revoke memberships) only those all of whose memberships lie in their province — a
person who also holds a scope elsewhere is read-only to them — and never a superuser. Contact details (e-mail,
phone) are shown only to the office that may change the person. A superuser sees and changes everyone.
Everything reached by id goes through :func:`person_to_view` / :func:`person_to_change`: 404 outside the viewer's
people.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cms.directory.access import memberships_managed_by, office_provinces, scopes_of
from cms.directory.models import Membership, Role, Unit, UnitLevel


def may_manage_people(user) -> bool:
    """Whether ``user`` uses the admin area "Người dùng của tỉnh" at all (office editors and superusers)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or scopes_of(user).has_role(Role.OFFICE_EDITOR)


def office_province_units(user) -> list[Unit]:
    """The provinces ``user`` is an office editor of (from the scopes read once per request)."""
    return [unit for unit in scopes_of(user).units(Role.OFFICE_EDITOR) if unit.level == UnitLevel.PROVINCE]


def _province_codes(user) -> list[str]:
    return [unit.code for unit in office_provinces(user)]


#: The accounts behind integrators' API tokens (``cms.security``) are not people: they are listed, granted and
#: revoked with their tokens (**Mã truy cập API**), never here, so a token's rights are only ever what its list says.
TOKEN_ACCOUNT = Q(integrator_token__isnull=False)


def people_visible_to(user) -> QuerySet:
    """The people ``user`` lists: anyone with a membership in their provinces, or kept by their office (token
    accounts left out)."""
    people = get_user_model().objects.exclude(TOKEN_ACCOUNT)
    if user.is_superuser:
        return people
    if not may_manage_people(user):
        return people.none()
    managed = memberships_managed_by(user).values("user_id")
    return people.filter(Q(pk__in=managed) | Q(people_profile__province_code__in=_province_codes(user)))


def people_changeable_by(user) -> QuerySet:
    """Those of :func:`people_visible_to` whose memberships all lie in the viewer's provinces, superusers left out."""
    people = people_visible_to(user)
    if user.is_superuser:
        return people
    outside = Membership.objects.exclude(pk__in=memberships_managed_by(user).values("pk")).values("user_id")
    return people.filter(is_superuser=False).exclude(pk__in=outside)


def changeable_ids(user, people) -> set[int]:
    """Ids of those of ``people`` (a page of a list) that ``user`` may change: one query."""
    ids = [person.pk for person in people]
    return set(people_changeable_by(user).filter(pk__in=ids).values_list("pk", flat=True))


def may_change_person(user, person) -> bool:
    return people_changeable_by(user).filter(pk=person.pk).exists()


def shows_contact(user, person, *, changeable: bool | None = None) -> bool:
    """E-mail and phone are shown only to the person's own office (the one that may change them)."""
    return may_change_person(user, person) if changeable is None else changeable


def person_to_view(user, pk) -> object:
    """The person ``pk`` if ``user`` lists them; 404 otherwise (other provinces look like no one)."""
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_to_change(user, pk) -> object:
    """The person ``pk`` if ``user`` may change them: 404 when not listed, 403 when listed but read-only."""
    person = person_to_view(user, pk)
    if not may_change_person(user, person):
        raise PermissionDenied
    return person


def grantable_roles(user) -> list[str]:
    """The roles an importer grants within a province: every role with a scope there (an office editor may add a
    fellow office editor of their own province); the national reader, who has no province, never."""
    return [role for role in Role.values if role != Role.NATIONAL_READER] if may_manage_people(user) else []
