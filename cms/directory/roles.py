"""Roles map onto Django groups, so Wagtail's permission checks (model and page permissions) just work.

Memberships are the source of truth: a user belongs to a role's group exactly while they hold at
least one membership with that role. Apps higher in the stack add the permissions their models
need with :func:`grant`, from their ``AppConfig.ready``; the groups are brought up to date after
every ``migrate`` and whenever a membership changes.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Membership, Role

#: Group name of each role (stable: stored in the database; shown in Wagtail's user admin).
ROLE_GROUP_NAMES = {
    Role.OFFICE_EDITOR: "NTM – Văn phòng Điều phối",
    Role.DISTRICT_REVIEWER: "NTM – Thẩm tra cấp huyện",
    Role.DEPARTMENT_APPRAISER: "NTM – Thẩm định sở, ngành",
    Role.COMMUNE_OFFICER: "NTM – Cán bộ xã",
    Role.NATIONAL_READER: "NTM – Văn phòng Điều phối Trung ương",
    Role.PRODUCER: "NTM – Chủ thể OCOP",
    Role.COUNCIL_MEMBER: "NTM – Hội đồng OCOP",
}

_DIRECTORY_MODELS = (
    "edition",
    "unit",
    "classification",
    "classificationvalue",
    "department",
    "membership",
    "producer",
    "product",
    "productgroup",
)
_READ_MODELS = ("edition", "unit", "classification", "classificationvalue", "department")

_role_permissions: dict[str, set[str]] = defaultdict(set)


def grant(role: Role, *permissions: str) -> None:
    """Register ``app_label.codename`` permissions that every holder of ``role`` gets."""
    _role_permissions[role].update(permissions)


grant(Role.OFFICE_EDITOR, "wagtailadmin.access_admin")
grant(
    Role.OFFICE_EDITOR,
    *(f"directory.{action}_{model}" for model in _DIRECTORY_MODELS for action in ("add", "change", "delete", "view")),
)
for _role in (Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER, Role.NATIONAL_READER):
    grant(_role, "wagtailadmin.access_admin", *(f"directory.view_{model}" for model in _READ_MODELS))
# Council members score in the admin's review area; producers work on the phone screens only (no admin).
grant(Role.COUNCIL_MEMBER, "wagtailadmin.access_admin")


def role_permissions(role: Role) -> set[str]:
    return set(_role_permissions[role])


@transaction.atomic
def sync_role_groups() -> dict[str, Group]:
    """Create the role groups and give each exactly its registered permissions."""
    wanted = {perm for perms in _role_permissions.values() for perm in perms}
    by_name = {}
    for perm in Permission.objects.filter(codename__in={p.split(".", 1)[1] for p in wanted}).select_related(
        "content_type"
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    groups = {}
    for role, name in ROLE_GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([by_name[p] for p in _role_permissions[role] if p in by_name])
        groups[role] = group
    return groups


def sync_user_groups(user) -> None:
    """Put ``user`` in exactly the role groups their memberships call for."""
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())}
    if len(groups) < len(ROLE_GROUP_NAMES):
        groups = {group.name: group for group in sync_role_groups().values()}
    user.groups.remove(*(groups[ROLE_GROUP_NAMES[role]] for role in Role if role not in held))
    user.groups.add(*(groups[ROLE_GROUP_NAMES[role]] for role in Role if role in held))


def sync_users_groups(users) -> None:
    """:func:`sync_user_groups` for many users, in a fixed number of queries (a bulk import)."""
    ids = [user.pk for user in users]
    if not ids:
        return
    held = defaultdict(set)
    for user_id, role in Membership.objects.filter(user_id__in=ids).values_list("user_id", "role"):
        held[user_id].add(role)
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())}
    if len(groups) < len(ROLE_GROUP_NAMES):
        groups = {group.name: group for group in sync_role_groups().values()}
    group_of_role = {role: groups[name].pk for role, name in ROLE_GROUP_NAMES.items()}
    through = get_user_model().groups.through
    through.objects.filter(user_id__in=ids, group_id__in=group_of_role.values()).delete()
    through.objects.bulk_create(
        [through(user_id=user_id, group_id=group_of_role[role]) for user_id in ids for role in held[user_id]],
        ignore_conflicts=True,
    )


def is_last_migrated_app(sender) -> bool:
    """post_migrate runs once per app with models; setup that needs every permission waits for the last."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    return sender.name == with_models[-1].name


def sync_role_groups_after_migrate(sender, **kwargs):
    if is_last_migrated_app(sender):
        sync_role_groups()
