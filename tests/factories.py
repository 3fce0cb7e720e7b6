"""Test data builders: factories for the directory's models (units through a small tree helper so paths stay
right), a base for Wagtail page factories, and :func:`shared_layer`, for data built once per test module."""

import copy
import datetime
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.utils.text import slugify

import factory
import pytest

from cms.audit.models import AuditEntry
from cms.directory import services
from cms.directory.models import (
    Classification,
    ClassificationValue,
    Department,
    Edition,
    Membership,
    Role,
    SuccessionKind,
    Unit,
    UnitClassification,
    UnitLevel,
    UnitSuccession,
)
from cms.directory.text import fold

PASSWORD = "secret-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("date",)

    date = datetime.date(2025, 3, 1)
    name = factory.LazyAttribute(lambda edition: f"Danh mục {edition.date:%d/%m/%Y}")
    tiers = 3


class ClassificationFactory(factory.django.DjangoModelFactory):
    """A classification of units (the migrations already create ``region`` and ``commune_group``)."""

    class Meta:
        model = Classification
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"phan-loai-{n}")
    name = factory.Sequence(lambda n: f"Phân loại {n}")


class ClassificationValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassificationValue
        django_get_or_create = ("classification", "code")

    classification = factory.SubFactory(ClassificationFactory)
    code = factory.Sequence(lambda n: f"GT{n}")
    name = factory.LazyAttribute(lambda value: f"Giá trị {value.code}")
    sort_order = factory.Sequence(lambda n: n)


def region(code: str = "TN") -> ClassificationValue:
    """A value of the ``region`` classification the migrations create (TN: Tây Nguyên)."""
    return ClassificationValue.objects.get(classification__code="region", code=code)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("edition", "code")

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


class UnitClassificationFactory(factory.django.DjangoModelFactory):
    """A unit's value of one classification (Tây Nguyên by default)."""

    class Meta:
        model = UnitClassification

    unit = factory.SubFactory(UnitFactory)
    value = factory.LazyFunction(region)
    classification = factory.SelfAttribute("value.classification")


class UnitSuccessionFactory(factory.django.DjangoModelFactory):
    """``successor`` (of a newer edition) was formed from ``predecessor``."""

    class Meta:
        model = UnitSuccession

    successor = factory.SubFactory(UnitFactory)
    predecessor = factory.SubFactory(UnitFactory)
    kind = SuccessionKind.FULL


class DepartmentFactory(factory.django.DjangoModelFactory):
    """A department of Đắk Lắk (66) unless a province is given: codes repeat across provinces."""

    class Meta:
        model = Department
        django_get_or_create = ("province", "code")

    code = factory.Sequence(lambda n: f"so-{n}")
    name = factory.Sequence(lambda n: f"Sở số {n}")
    province = factory.LazyFunction(province)  # the module's province(): Đắk Lắk (66)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership row as stored (a commune officer by default); :func:`member` also syncs the user's groups,
    as the admin does."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COMMUNE_OFFICER
    unit = factory.SubFactory(UnitFactory)
    department = None


def member(role, *, unit=None, department=None, username=None):
    """A user holding one membership, with groups synced exactly as the admin does."""
    user = UserFactory(**({"username": username} if username else {}))
    services.membership_create(user=user, role=role, unit=unit, department=department)
    return user


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry of the one audit trail about ``subject`` (any object; a person by default), as
    :func:`cms.audit.services.audit_record` writes it."""

    class Meta:
        model = AuditEntry

    subject = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    action = "changed"
    comment = ""


# --- Wagtail pages --------------------------------------------------------------------------------------


class PageFactory(factory.django.DjangoModelFactory):
    """A Wagtail page added under ``parent`` in the tree (each subclass names its default parent) and, unless
    ``publish=False``, published with a revision, as an editor would.

    Pages cannot simply be saved: treebeard places them in the tree (``parent.add_child``).
    """

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Trang {n}")
    slug = factory.LazyAttribute(lambda page: slugify(fold(page.title)))

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or cls.default_parent()).add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return page

    @classmethod
    def default_parent(cls):
        raise TypeError(f"{cls.__name__} needs a parent page")


class SingletonPageFactory(factory.django.DjangoModelFactory):
    """The one page of its type (``max_count = 1``), which the migrations create: the factory sets the fields
    it is given on that page, and creates the page (published, under ``parent``) only when it is missing."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class.objects.first()
        if page is None:
            page = model_class(*args, **{**cls.defaults(), **kwargs})
            (parent or cls.default_parent()).add_child(instance=page)
            page.save_revision().publish()
        elif kwargs:
            for name, value in kwargs.items():
                setattr(page, name, value)
            page.save()
        return page

    @classmethod
    def defaults(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def default_parent(cls):
        raise NotImplementedError


# --- data built once per test module ---------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    name: str
    build: Callable
    requires: tuple[str, ...]
    home: str  # the package (for a conftest) or the module whose tests can use the layer
    fixture: object  # the fixture that gives a test the layer's value


_LAYERS: list[Layer] = []


def _home_of(module: str) -> str:
    return module.removesuffix(".conftest") if module.endswith(".conftest") else module


def _within(module: str, home: str) -> bool:
    return module == home or module.startswith(home + ".")


def _visible(layer: Layer, module: str) -> bool:
    return _within(module, layer.home)


def shared_layer(build: Callable) -> Callable:
    """Turn ``build`` into a fixture whose data is built once per test module and shared by its tests.

    ``build`` takes the layers it builds on as arguments, by name, as a fixture takes fixtures (layers only:
    it runs outside any test). The layers a test uses are built in the order they were declared, each in its
    own transaction (a savepoint) kept open while the module's tests run; each test then runs in a savepoint
    inside them (the ``db`` fixture), rolled back after it, and gets its own deep copy of the values (as
    Django's ``setUpTestData`` does), so a test may change the data freely. A test that uses fewer layers than
    are built first rolls the extra ones back, so no test sees data it did not ask for. Mails sent while
    building go back into ``mail.outbox`` for every test that uses the layer.

    Declare a layer in a ``conftest.py`` for the tests below it, or in a test module for its own tests. The
    ``_shared_layer*`` fixtures of ``tests/conftest.py`` drive them.
    """
    name = build.__name__
    home = _home_of(build.__module__)
    requires = tuple(inspect.signature(build).parameters)
    for layer in _LAYERS:
        if layer.name == name and (_within(home, layer.home) or _within(layer.home, home)):
            raise ValueError(f"shared layer {name!r} is declared twice ({layer.home} and {home})")
    for required in requires:
        if not any(layer.name == required and _visible(layer, home) for layer in _LAYERS):
            raise ValueError(f"shared layer {name!r} builds on {required!r}, which is not declared before it")

    def value(_shared_layers, _shared_layer_mails):
        return _shared_layers[name]

    value.__doc__ = build.__doc__
    fixture = pytest.fixture(name=name)(value)
    _LAYERS.append(Layer(name, build, requires, home, fixture))
    return fixture


def _why_not_shared(request) -> str:
    """Why ``request``'s test cannot use shared layers ("" when it can)."""
    if not {"transactional_db", "live_server"}.isdisjoint(request.fixturenames):
        return "they live in a transaction: a transactional test (transactional_db, live_server) builds its own data"
    if request.node.get_closest_marker("django_db") is not None:
        return "@pytest.mark.django_db opens the test's transaction first: leave it out (layers bring the db fixture)"
    return ""


@dataclass
class _Built:
    layer: Layer
    atomic: transaction.Atomic
    values: dict  # this layer's value and those of the layers below it, copied together
    mails: list = field(default_factory=list)  # sent while building this layer and those below


class LayerStack:
    """The layers built for one test module, bottom first."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.built: list[_Built] = []

    def wanted(self, module, fixturenames) -> list[Layer]:
        visible = {layer.name: layer for layer in _LAYERS if _visible(layer, module.__name__)}
        needed: set[str] = set()
        pending = [name for name in fixturenames if name in visible]
        for name in pending:
            if vars(module).get(name, visible[name].fixture) is not visible[name].fixture:
                raise RuntimeError(
                    f"{module.__name__} overrides the shared layer {name!r}: give its fixture another name"
                )
        while pending:
            name = pending.pop()
            if name not in needed:
                needed.add(name)
                pending.extend(visible[name].requires)
        return [layer for layer in _LAYERS if layer.name in needed and visible[layer.name] is layer]

    def values_for(self, request) -> dict:
        """Align the stack with the layers ``request``'s test uses and return its own copy of their values."""
        wanted = self.wanted(request.module, request.fixturenames)
        if wanted and (reason := _why_not_shared(request)):
            names = ", ".join(layer.name for layer in wanted)
            raise RuntimeError(f"{request.node.nodeid} cannot use the shared layers ({names}): {reason}.")
        keep = 0
        while keep < min(len(self.built), len(wanted)) and self.built[keep].layer is wanted[keep]:
            keep += 1
        if keep < len(self.built) or keep < len(wanted):
            if keep < len(wanted):
                request.getfixturevalue("django_db_setup")
            with self.blocker.unblock():
                self._check_nesting()
                self._pop_to(keep)
                for layer in wanted[keep:]:
                    self._push(layer)
        return copy.deepcopy(self.built[-1].values) if self.built else {}

    def mails(self) -> list:
        """Copies of the mails sent while the layers were built."""
        return copy.deepcopy(self.built[-1].mails) if self.built else []

    def clear(self) -> None:
        """Roll every layer back (after the module's last test): the next module starts from the migrated state."""
        if self.built:
            with self.blocker.unblock():
                self._check_nesting()
                self._pop_to(0)
                if connection.in_atomic_block:
                    raise RuntimeError("the shared layers' transaction is still open after rolling them back")

    def _check_nesting(self) -> None:
        if len(connection.atomic_blocks) != len(self.built):
            raise RuntimeError("shared layers must be built or rolled back outside any test's transaction")

    def _push(self, layer: Layer) -> None:
        below = self.built[-1] if self.built else None
        values = copy.deepcopy(below.values) if below else {}
        start = len(mail.outbox)
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own, for durable blocks in the code under test
        atomic.__enter__()
        try:
            value = layer.build(**{name: values[name] for name in layer.requires})
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
        mails = (below.mails if below else []) + mail.outbox[start:]
        del mail.outbox[start:]
        self.built.append(_Built(layer, atomic, copy.deepcopy({**values, layer.name: value}), mails))

    def _pop_to(self, size: int) -> None:
        while len(self.built) > size:
            built = self.built.pop()
            transaction.set_rollback(True)
            built.atomic.__exit__(None, None, None)
