"""Who must use two-factor authentication, and who may unlock whose login.

Office editors and superusers change what a whole province (or the country) sees, so they are the accounts
two-factor authentication is for. An office editor unlocks only people whose memberships all lie in their
province (the memberships they manage, :func:`cms.directory.access.memberships_managed_by`): an account
with a membership elsewhere, or none at all (a superuser, a bare account), is unlocked by a superuser.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from cms.directory.access import memberships_managed_by, scopes_of
from cms.directory.models import Membership, Role


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
