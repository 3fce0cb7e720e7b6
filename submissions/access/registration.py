"""Registration for a title: periods, registrations and their files (part of :mod:`submissions.access`)."""

from django.db.models import Q, QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role, Unit, UnitLevel
from submissions.registration.models import Registration, RegistrationFile, RegistrationPeriod

# --- registration (helper "registration" adds its rules below) ----------------------------------------------


def registration_units_of(user) -> list[Unit]:
    """The units ``user`` registers target titles for: a commune officer's communes, and (in the three-tier world)
    a district reviewer's districts, for the huyện titles."""
    scopes = scopes_of(user)
    communes = scopes.units(Role.COMMUNE_OFFICER)
    districts = [unit for unit in scopes.units(Role.DISTRICT_REVIEWER) if unit.level == UnitLevel.DISTRICT]
    return [*communes, *districts]


def registrations_of_registrant(user) -> QuerySet[Registration]:
    """The registrations of the user's own units (:func:`registration_units_of`), whoever filed them."""
    units = registration_units_of(user)
    queryset = Registration.objects.select_related("period", "unit")
    return queryset.filter(unit__in=[unit.pk for unit in units]) if units else queryset.none()


def _periods_of_units_q(units: list[Unit]) -> Q:
    """Periods of the provinces ``units`` lie in (the province in the unit's own edition)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(province__edition_id=unit.edition_id, province__path=unit.path.split("/")[0] + "/")
    return condition


def registration_periods_of_registrant(user) -> QuerySet[RegistrationPeriod]:
    """The periods of the province(s) of the user's own units: where they register."""
    units = registration_units_of(user)
    queryset = RegistrationPeriod.objects.select_related("province")
    return queryset.filter(_periods_of_units_q(units)) if units else queryset.none()


def may_register_unit(user, unit: Unit) -> bool:
    return any(own.pk == unit.pk for own in registration_units_of(user))


def reads_registrations(user) -> bool:
    """Whether the admin's "Đăng ký danh hiệu" is for ``user``: offices, national readers (to read), superusers."""
    scopes = scopes_of(user)
    return scopes.reads_nationally or scopes.has_role(Role.OFFICE_EDITOR)


def registration_periods_in_admin_for(user) -> QuerySet[RegistrationPeriod]:
    """Periods the admin shows ``user``: their province's (every province's for national readers, to read)."""
    queryset = RegistrationPeriod.objects.select_related("province")
    scopes = scopes_of(user)
    if scopes.reads_nationally:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    return queryset.filter(province__in=Unit.objects.within_any(offices)) if offices else queryset.none()


def registration_periods_managed_by(user) -> QuerySet[RegistrationPeriod]:
    """Periods ``user`` opens and closes: their province's office; every period for a superuser."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return RegistrationPeriod.objects.select_related("province")
    offices = scopes.units(Role.OFFICE_EDITOR)
    if not offices:
        return RegistrationPeriod.objects.none()
    return RegistrationPeriod.objects.select_related("province").filter(province__in=Unit.objects.within_any(offices))


def registration_provinces_managed_by(user) -> QuerySet[Unit]:
    """The provinces ``user`` opens registration periods for (every province for a superuser)."""
    scopes = scopes_of(user)
    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE).select_related("edition")
    if scopes.is_superuser:
        return provinces
    offices = scopes.units(Role.OFFICE_EDITOR)
    return provinces.filter(pk__in=[unit.pk for unit in offices]) if offices else provinces.none()


def registration_provinces_readable_by(user) -> QuerySet[Unit]:
    """The provinces whose plan (registered vs reached) ``user`` reads: their office's; all for national readers."""
    if scopes_of(user).reads_nationally:
        return Unit.objects.filter(level=UnitLevel.PROVINCE).select_related("edition")
    return registration_provinces_managed_by(user)


def registrations_in_admin_for(user) -> QuerySet[Registration]:
    """Registrations the admin lists for ``user``: their province's; every one for national readers (to read)."""
    queryset = Registration.objects.select_related("period", "unit", "unit__parent")
    scopes = scopes_of(user)
    if scopes.reads_nationally:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    return queryset.filter(scopes.units_q(Role.OFFICE_EDITOR, prefix="unit__")) if offices else queryset.none()


def may_decide_registration(user, registration: Registration) -> bool:
    """Approving or returning: the office of the registration's province, or a superuser (never a national reader)."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.covers(registration.unit, Role.OFFICE_EDITOR)


def registration_files_visible_to(user) -> QuerySet[RegistrationFile]:
    """A registration's files are private: the registrant's unit and its province's office (superusers too); never
    national readers, appraisers or anyone else."""
    scopes = scopes_of(user)
    queryset = RegistrationFile.objects.select_related("registration")
    if not scopes.authenticated:
        return queryset.none()
    if scopes.is_superuser:
        return queryset
    own = [unit.pk for unit in registration_units_of(user)]
    return queryset.filter(
        Q(registration__unit__in=own) | scopes.units_q(Role.OFFICE_EDITOR, prefix="registration__unit__")
    )
