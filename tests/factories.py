"""Test data builders. Units are built through a small tree helper so paths stay right."""

import datetime

from django.contrib.auth import get_user_model

import factory

from cms.directory import services
from cms.directory.models import Department, Edition, Unit, UnitLevel
from cms.directory.text import fold


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("secret-pass-123")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("date",)

    date = datetime.date(2025, 3, 1)
    name = factory.LazyAttribute(lambda edition: f"Danh mục {edition.date:%d/%m/%Y}")
    tiers = 3


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Số {n}")
    unit_type = "Xã"
    level = UnitLevel.COMMUNE
    parent = None
    path = factory.LazyAttribute(lambda unit: f"{unit.parent.path if unit.parent else ''}{unit.code}/")
    search_name = factory.LazyAttribute(lambda unit: fold(unit.name))

    @factory.lazy_attribute
    def edition(self):
        return self.parent.edition if self.parent else EditionFactory()


def province(code="66", name="Tỉnh Đắk Lắk", **kwargs) -> Unit:
    return UnitFactory(code=code, name=name, unit_type="Tỉnh", level=UnitLevel.PROVINCE, **kwargs)


def district(parent, code, name, **kwargs) -> Unit:
    return UnitFactory(parent=parent, code=code, name=name, unit_type="Huyện", level=UnitLevel.DISTRICT, **kwargs)


def commune(parent, code, name, unit_type="Xã", **kwargs) -> Unit:
    return UnitFactory(parent=parent, code=code, name=name, unit_type=unit_type, level=UnitLevel.COMMUNE, **kwargs)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"so-{n}")
    name = factory.Sequence(lambda n: f"Sở số {n}")


def member(role, *, unit=None, department=None, username=None):
    """A user holding one membership, with groups synced exactly as the admin does."""
    user = UserFactory(**({"username": username} if username else {}))
    services.membership_create(user=user, role=role, unit=unit, department=department)
    return user
