"""Who must use two-factor authentication, who may unlock whose login, and who manages which API tokens.

Office editors and superusers change what a whole province (or the country) sees, so they are the accounts
two-factor authentication is for. An office editor unlocks only people whose memberships all lie in their
province (the memberships they manage, :func:`cms.directory.access.memberships_managed_by`): an account
with a membership elsewhere, or none at all (a superuser, a bare account), is unlocked by a superuser.

Integrators' API tokens belong to a province: its office editors create, list and revoke them, superusers all
of them; nobody else (a national reader included: tokens are a province's credentials, not its data) sees them.
A token's role is one the office could give a person, with a scope inside the token's province.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cms.directory.access import (
    departments_managed_by,
    may_manage_unit,
    memberships_managed_by,
    office_provinces,
    province_of,
    scopes_of,
)
from cms.directory.models import ROLE_SCOPE_LEVEL, Department, Membership, Role, Unit, UnitLevel

from .models import Integrator, IntegratorToken

#: The roles a token may be given: those with a scope inside one province (a national reader reads the country).
TOKEN_ROLES = (Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER, Role.OFFICE_EDITOR)


def is_staff_officer(user) -> bool:
    """An office editor or a superuser."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or scopes_of(user).has_role(Role.OFFICE_EDITOR)


def needs_two_factor(user) -> bool:
    """Whether ``user`` enrols a TOTP device (and, when ``REQUIRE_TWO_FACTOR_FOR_STAFF`` is on, must use it)."""
    return is_staff_officer(user)


def may_manage_lockouts(user) -> bool:
    """Whether ``user`` sees the locked accounts page at all (what it lists is :func:`unlockable_usernames`)."""
    return is_staff_officer(user)


def unlockable_usernames(user, usernames: Iterable[str]) -> set[str]:
    """Those of ``usernames`` whose login ``user`` may unlock."""
    usernames = {name for name in usernames if name}
    if not usernames or not is_staff_officer(user):
        return set()
    if user.is_superuser:
        return usernames
    user_model = get_user_model()
    outside = Membership.objects.exclude(pk__in=memberships_managed_by(user).values("pk"))
    accounts = (
        user_model.objects.filter(
            **{f"{user_model.USERNAME_FIELD}__in": usernames}, is_superuser=False, memberships__isnull=False
        )
        .exclude(pk__in=outside.values("user_id"))
        .values_list(user_model.USERNAME_FIELD, flat=True)
        .distinct()
    )
    return set(accounts)


def may_unlock(user, username: str) -> bool:
    return username in unlockable_usernames(user, [username])


# --- integrators' API tokens -----------------------------------------------------------------------------------


def may_manage_tokens(user) -> bool:
    """Whether ``user`` sees the API tokens page at all (what it lists is :func:`tokens_managed_by`)."""
    return is_staff_officer(user)


def _office_province_codes(user) -> set[str]:
    return {province_of(unit) for unit in scopes_of(user).units(Role.OFFICE_EDITOR)}


def integrators_managed_by(user) -> QuerySet[Integrator]:
    """The integrators of the office editor's provinces (every edition of them); all for a superuser."""
    if not is_staff_officer(user):
        return Integrator.objects.none()
    if user.is_superuser:
        return Integrator.objects.all()
    return Integrator.objects.filter(province__code__in=_office_province_codes(user))


def tokens_managed_by(user) -> QuerySet[IntegratorToken]:
    """The tokens ``user`` lists and revokes: those of :func:`integrators_managed_by`."""
    if not is_staff_officer(user):
        return IntegratorToken.objects.none()
    if user.is_superuser:
        return IntegratorToken.objects.all()
    return IntegratorToken.objects.filter(integrator__province__code__in=_office_province_codes(user))


def token_provinces_for(user) -> QuerySet[Unit]:
    """The provinces ``user`` creates tokens for: their office's; any for a superuser."""
    if not is_staff_officer(user):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.filter(level=UnitLevel.PROVINCE).select_related("edition")
    return office_provinces(user).select_related("edition")


def token_scope_inside(
    *, province: Unit, role: str, unit: Unit | None = None, department: Department | None = None
) -> bool:
    """Whether a token of ``province`` may hold ``role`` over this scope: a role of :data:`TOKEN_ROLES` over a
    unit of the province's edition inside it, or a department of the province (no role: no scope)."""
    if not role:
        return unit is None and department is None
    if role not in TOKEN_ROLES:
        return False
    if role == Role.DEPARTMENT_APPRAISER:
        return department is not None and unit is None and province_of(department.province) == province.code
    return (
        department is None
        and unit is not None
        and unit.edition_id == province.edition_id
        and unit.path.startswith(province.path)
        and unit.level == ROLE_SCOPE_LEVEL[role]
    )


def may_grant_token_role(
    user, *, province: Unit, role: str, unit: Unit | None = None, department: Department | None = None
) -> bool:
    """Whether ``user`` may give a token of ``province`` this role and scope (no role: in any of their provinces):
    the scope lies inside the province (:func:`token_scope_inside`) and among what ``user`` manages."""
    if not token_provinces_for(user).filter(pk=province.pk).exists():
        return False
    if not token_scope_inside(province=province, role=role, unit=unit, department=department):
        return False
    if not role:
        return True
    if role == Role.DEPARTMENT_APPRAISER:
        return departments_managed_by(user).filter(pk=department.pk).exists()
    return may_manage_unit(user, unit)
