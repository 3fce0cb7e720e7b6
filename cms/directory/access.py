"""Who holds which scope: the one place the directory's memberships are read.

A membership gives a user a role over a scope: a unit (a province for the office and council members, a
district for its reviewers, a commune for its officers), a department (for its appraisers) or an OCOP
producer. A unit scope covers the
unit's subtree in its edition. :func:`scopes_of` reads a user's memberships once per request (cached on
the user object) and answers every question the apps above ask about them; the directory's own rules
(which units and memberships an office editor manages) are here too.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Department, Membership, Role, Unit, UnitSuccession, province_history_q, within_any_q
from .products.models import Producer, Product

#: When a person holds several roles, the one their audit entries name (the most local first).
ROLE_PRECEDENCE = (
    Role.PRODUCER,
    Role.COMMUNE_OFFICER,
    Role.DISTRICT_REVIEWER,
    Role.DEPARTMENT_APPRAISER,
    Role.OFFICE_EDITOR,
    Role.NATIONAL_READER,
    Role.COUNCIL_MEMBER,
)
#: The audit's name for a superuser acting without a membership.
SUPERUSER_ROLE = "superuser"

_CACHE_ATTRIBUTE = "_ntm_scopes"


class Scopes:
    """The memberships of one user, read once, and what they cover."""

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user is not None and user.is_authenticated)
        self.is_superuser = bool(self.authenticated and user.is_superuser)
        self.memberships: list[Membership] = (
            list(
                Membership.objects.filter(user=user).select_related("unit", "department__province", "producer__commune")
            )
            if self.authenticated
            else []
        )

    def roles(self) -> set[str]:
        return {membership.role for membership in self.memberships}

    @property
    def is_national_reader(self) -> bool:
        """Whether the user holds the national reader's role (the central coordination office; no scope)."""
        return self.has_role(Role.NATIONAL_READER)

    @property
    def reads_nationally(self) -> bool:
        """Whether the user reads every province (superusers, national readers); only superusers also act."""
        return self.is_superuser or self.is_national_reader

    def has_role(self, *roles: str) -> bool:
        return any(membership.role in roles for membership in self.memberships)

    def units(self, *roles: str) -> list[Unit]:
        """The units the user's memberships of ``roles`` are scoped to."""
        return [m.unit for m in self.memberships if m.role in roles and m.unit_id is not None]

    def departments(self) -> set[int]:
        """Ids of the departments the user appraises for."""
        return {m.department_id for m in self.memberships if m.role == Role.DEPARTMENT_APPRAISER and m.department_id}

    def appraising_departments(self) -> list[Department]:
        """The departments the user appraises for, each with its province."""
        return [m.department for m in self.memberships if m.role == Role.DEPARTMENT_APPRAISER and m.department_id]

    def producers(self) -> set[int]:
        """Ids of the OCOP producers the user acts for."""
        return {m.producer_id for m in self.memberships if m.role == Role.PRODUCER and m.producer_id}

    def producer_communes(self) -> list[Unit]:
        """The communes of the producers the user acts for."""
        return [m.producer.commune for m in self.memberships if m.role == Role.PRODUCER and m.producer_id]

    def units_q(self, *roles: str, prefix: str = "") -> Q:
        """Units (reached through ``prefix``) under any of the user's ``roles`` scopes."""
        return within_any_q(self.units(*roles), prefix=prefix)

    def history_units_q(self, *roles: str, prefix: str = "") -> Q:
        """For reading only: the units under the user's ``roles`` scopes and the units of earlier editions they
        were formed from (a commune's history crosses the 2025 reform)."""
        units = self.units(*roles)
        if not units:
            return Q(**{f"{prefix}pk__in": []})
        formed = UnitSuccession.objects.filter(
            predecessor=OuterRef(f"{prefix}pk" if prefix else "pk"), successor__in=Unit.objects.within_any(units)
        )
        return within_any_q(units, prefix=prefix) | Q(Exists(formed))

    def covers(self, unit: Unit, *roles: str) -> bool:
        """Whether ``unit`` lies in the subtree of one of the user's ``roles`` scopes."""
        return any(
            scope.edition_id == unit.edition_id and unit.path.startswith(scope.path) for scope in self.units(*roles)
        )

    def audit_role(self) -> str:
        """The role an audit entry records for this user."""
        held = self.roles()
        for role in ROLE_PRECEDENCE:
            if role in held:
                return role
        return SUPERUSER_ROLE if self.is_superuser else ""


def scopes_of(user) -> Scopes:
    """The user's scopes, read once per user object (one request)."""
    if user is None:
        return Scopes(None)
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = Scopes(user)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_scopes(user) -> None:
    """Drop the cached scopes (after the user's memberships change within the same request)."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def holders(role: str, *, covering: Unit | None = None, departments=None) -> list:
    """The users holding ``role``: over a scope that covers ``covering``, or in one of ``departments``."""
    if covering is not None and departments is None:
        return holders_covering(role, [covering])[covering.pk]
    memberships = Membership.objects.filter(role=role).select_related("user", "unit")
    if departments is not None:
        memberships = memberships.filter(department_id__in=departments)
    found = []
    for membership in memberships:
        unit = membership.unit
        if covering is None or (
            unit is not None and unit.edition_id == covering.edition_id and covering.path.startswith(unit.path)
        ):
            found.append(membership.user)
    return found


def _ancestor_paths(unit: Unit) -> list[str]:
    """The code paths of ``unit`` and its ancestors ("66/", "66/643/", "66/643/24184/")."""
    parts = unit.path.split("/")[:-1]
    return ["/".join(parts[: length + 1]) + "/" for length in range(len(parts))]


def holders_covering(role: str, units) -> dict[int, list]:
    """For each of ``units``, the users holding ``role`` over a scope that covers it (the unit or one of its
    ancestors, in its edition), for many units in one query."""
    units = list(units)
    paths = {path for unit in units for path in _ancestor_paths(unit)}
    by_scope = defaultdict(list)
    for membership in Membership.objects.filter(role=role, unit__path__in=paths).select_related("user", "unit"):
        by_scope[(membership.unit.edition_id, membership.unit.path)].append(membership.user)
    return {
        unit.pk: [user for path in _ancestor_paths(unit) for user in by_scope.get((unit.edition_id, path), [])]
        for unit in units
    }


# --- the directory's own rules: what an office editor manages ---------------------------------------------


def office_provinces(user) -> QuerySet[Unit]:
    """Provinces (or other units) the user works on as an office editor."""
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.OFFICE_EDITOR)


def office_province_codes(user) -> set[str] | None:
    """The codes of the provinces ``user`` works on as an office editor (in any edition); None for a superuser,
    meaning every province."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return None
    return {province_of(unit) for unit in scopes.units(Role.OFFICE_EDITOR)}


def may_manage_unit(user, unit: Unit) -> bool:
    """Whether ``unit`` lies among :func:`units_managed_by` (decided from the scopes, without a query)."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.covers(unit, Role.OFFICE_EDITOR)


def units_managed_by(user) -> QuerySet[Unit]:
    """Every unit under the user's office scopes; all units for a superuser."""
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.within_any(scopes_of(user).units(Role.OFFICE_EDITOR))


def departments_managed_by(user) -> QuerySet[Department]:
    """Departments of the user's provinces (all for a superuser)."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(province__in=office_provinces(user).values("pk"))


def province_of(unit: Unit) -> str:
    """The code of the province ``unit`` lies in (the first code of its path)."""
    return unit.path.split("/", 1)[0]


def departments_of_province(unit: Unit) -> QuerySet[Department]:
    """The departments of the province ``unit`` lies in: where its criteria are appraised."""
    return Department.objects.filter(province__code=province_of(unit))


def in_department_province_q(department: Department, *, prefix: str = "") -> Q:
    """Units of ``department``'s province (in every edition of the province's history)."""
    return province_history_q(department.province, prefix=prefix)


def memberships_managed_by(user) -> QuerySet[Membership]:
    """Office editors manage the memberships of their provinces and of department appraisers."""
    queryset = Membership.objects.select_related("user", "unit", "unit__edition", "department", "producer")
    if user.is_superuser:
        return queryset
    own_departments = Q(department__in=departments_managed_by(user).values("pk"))
    own_producers = Q(producer__commune__in=units_managed_by(user).values("pk"))
    return queryset.filter(
        Q(unit__in=units_managed_by(user).values("pk"))
        | Q(own_departments, role=Role.DEPARTMENT_APPRAISER)
        | Q(own_producers, role=Role.PRODUCER)
    )


def people_managed_by(user):
    """The people whose memberships an office editor manages (everyone for a superuser)."""
    people = get_user_model().objects.all()
    if user.is_superuser:
        return people
    return people.filter(pk__in=memberships_managed_by(user).values("user_id"))


def province_codes_of(user) -> set[str]:
    """The codes of the provinces the user's memberships lie in (units' and departments' alike)."""
    scopes = scopes_of(user)
    codes = {province_of(unit) for unit in scopes.units(*Role.values)}
    codes |= {department.province.code for department in scopes.appraising_departments()}
    codes |= {province_of(commune) for commune in scopes.producer_communes()}
    return codes


def may_read_unit(user, unit: Unit) -> bool:
    """Units are read in the admin inside the user's provinces (every edition of their history); national
    readers read every province."""
    return scopes_of(user).reads_nationally or province_of(unit) in province_codes_of(user)


# --- OCOP producers and products: who registers and manages them ------------------------------------------


def producers_managed_by(user) -> QuerySet[Producer]:
    """A producer's own account manages itself; a commune officer, the producers of their communes; the office,
    those of its province; a superuser, all."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return Producer.objects.all()
    if not scopes.authenticated:
        return Producer.objects.none()
    return Producer.objects.filter(
        Q(pk__in=scopes.producers()) | scopes.units_q(Role.COMMUNE_OFFICER, Role.OFFICE_EDITOR, prefix="commune__")
    )


def products_managed_by(user) -> QuerySet[Product]:
    """The products of :func:`producers_managed_by`."""
    return Product.objects.filter(producer__in=producers_managed_by(user).values("pk"))


def may_register_producer(user, commune: Unit) -> bool:
    """Commune officers register producers of their commune; the office, of any commune of its province."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.covers(commune, Role.COMMUNE_OFFICER, Role.OFFICE_EDITOR)


def may_manage_producer(user, producer: Producer) -> bool:
    """Decided from the scopes without a query (the producer's commune must be loaded)."""
    scopes = scopes_of(user)
    return (
        scopes.is_superuser
        or producer.pk in scopes.producers()
        or scopes.covers(producer.commune, Role.COMMUNE_OFFICER, Role.OFFICE_EDITOR)
    )


def may_manage_product(user, product: Product) -> bool:
    """Products are managed by whoever manages their producer (registering one included)."""
    return may_manage_producer(user, product.producer)
