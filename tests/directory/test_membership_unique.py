"""A person holds a role over a scope once: the database refuses the same membership twice, NULL columns included
(the appraiser's unit, everyone else's department, both for the national reader), on SQLite and PostgreSQL."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from cms.directory.models import Membership, Producer, Role
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory, commune, district, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def scopes():
    home = province()
    area = district(home, "643", "Huyện Ea H'leo")
    ea_hleo = commune(area, "24184", "Xã Ea H'leo")
    return {
        Role.OFFICE_EDITOR: {"unit": home},
        Role.DISTRICT_REVIEWER: {"unit": area},
        Role.COMMUNE_OFFICER: {"unit": ea_hleo},
        Role.DEPARTMENT_APPRAISER: {"department": DepartmentFactory(province=home)},
        Role.NATIONAL_READER: {},
        Role.COUNCIL_MEMBER: {"unit": home},
        Role.PRODUCER: {"producer": Producer.objects.create(name="HTX Ea H'leo", kind="cooperative", commune=ea_hleo)},
    }


@pytest.mark.parametrize("role", list(Role))
def test_the_same_membership_twice_is_refused_by_the_database(scopes, role):
    user = UserFactory()
    Membership.objects.create(user=user, role=role, **scopes[role])
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role, **scopes[role])
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("role", list(Role))
def test_the_same_membership_twice_is_refused_with_a_message_before_the_database(scopes, role):
    existing = MembershipFactory(role=role, **{"unit": None, "department": None, "producer": None, **scopes[role]})
    duplicate = Membership(user=existing.user, role=role, **scopes[role])
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert refused.value.messages == ["Người này đã có vai trò này trong phạm vi này."]


def test_a_unit_and_a_department_together_are_refused_by_the_database(scopes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(),
            role=Role.DEPARTMENT_APPRAISER,
            unit=scopes[Role.OFFICE_EDITOR]["unit"],
            department=scopes[Role.DEPARTMENT_APPRAISER]["department"],
        )
