"""The attacker's permission matrix: every role × every id-bearing route of the web, the admin and the API ×
own province / other province, one test per cell, named like ``office_editor-other-POST
/admin/submissions/round/<pk>/close/``.

The routes come from the URL resolver (:func:`collected_routes`): every route with a path parameter whose
view is the project's own. :data:`ROUTES` says, per route, how to reach an object of the own province (Đắk
Lắk, 66) and of the other one (Đắk Nông, 67, built beside it here), the minimal valid body of a write, and
what each role may do. :func:`test_the_registry_covers_every_id_bearing_route` fails, naming the pattern,
when a route has no entry.

The roles are the non-superusers of province 66 (office editor, Krông Pắc's district reviewer, the
construction department's appraiser, Hòa Thuận's commune officer) and anonymous. Every *other* cell must be
refused (404, 403, 401, a redirect to the login page or Wagtail's admin home, or — the reviewers' pages — a
redirect back with the "no permission" message) and leave the database unchanged; public API reads of the
other province must give exactly what an anonymous caller gets. Own cells are asserted where the rights are
simple; those the review matrix (``tests/submissions/test_permission_matrix.py``) covers in depth — with own
and other *scope* within the province — are marked "not asserted here" (``None``).

The world, its stages and the fingerprint of a write are in :mod:`tests.security.matrix_world` (and, for the road
to a title, :mod:`tests.security.matrix_world_road`); how a route is described and an answer read in
:mod:`tests.security.matrix_cells`; the registry itself in :mod:`tests.security.matrix_routes_admin` (Wagtail's
admin), :mod:`tests.security.matrix_routes_site` (the commune's form, the reviewers' pages, the API, the media
files), :mod:`tests.security.matrix_routes_consultation` (the public consultation and the satisfaction survey),
:mod:`tests.security.matrix_routes_recognition` (registration, recognition preconditions, the dossier) and
:mod:`tests.security.matrix_routes_ocop` (OCOP: producers, products, councils, certificates; its world is
:mod:`tests.security.matrix_world_ocop`).
A public route is recorded either as a province's object whose *other* cells are ``PUBLIC`` (the answer must be what
anonymous gets, or show nothing unpublished: ``public_only``, also checked on what anonymous reads in the own
province), or, when its object belongs to no province, as ``national`` with own cells only (the reason says why).
"""

import json
import re

from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from cms.directory.models import Role
from tests.factories import member, shared_layer
from tests.security.matrix_cells import ALLOWED, PUBLIC, REFUSED, Request, Route, content_of, describe, outcome, parsed
from tests.security.matrix_routes_admin import ADMIN_ROUTES
from tests.security.matrix_routes_consultation import CONSULTATION_ROUTES
from tests.security.matrix_routes_ocop import OCOP_ROUTES
from tests.security.matrix_routes_recognition import RECOGNITION_ROUTES
from tests.security.matrix_routes_site import SITE_ROUTES
from tests.security.matrix_world import (
    ANONYMOUS,
    OTHER,
    OWN,
    ROLES,
    STAGES,
    Side,
    World,
    build_world,
    changes,
    fingerprint,
)
from tests.security.matrix_world_ocop import ocop_world_build

#: The project's own views, by module. Under /admin/ only these and wagtail-modeladmin views of our apps count:
#: Wagtail core's own admin routes (pages, images, documents, users, snippets, …) and its pages API are guarded
#: by Wagtail's permission system, not by ours, and are left out by this one rule.
OUR_MODULES = ("cms.", "criteria_pages.", "submissions.", "public_site.")
OUR_APPS = {"directory", "submissions", "criteria_pages", "public_site", "security", "audit"}


# --- the routes, from the resolver ---------------------------------------------------------------------


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def normalise(pattern: str) -> str:
    """``admin/^directory/unit/edit/(?P<instance_pk>[-\\w]+)/$`` → ``/admin/directory/unit/edit/<instance_pk>/``."""
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern)
    text = re.sub(r"<\w+:(\w+)>", r"<\1>", text)
    return "/" + text.replace("^", "").replace("$", "")


def _is_ours(pattern: str, entry: URLPattern) -> bool:
    callback = entry.callback
    view_class = getattr(callback, "view_class", None)
    module = (view_class or callback).__module__
    if module.startswith("wagtail_modeladmin."):
        # modeladmin's URLs are /admin/<app_label>/<model_name>/<view>/<pk>/ (its views come wrapped, without
        # their ModelAdmin): ours when the app label is
        return normalise(pattern).split("/")[2] in OUR_APPS
    return module.startswith(OUR_MODULES)


def collected_routes() -> set[str]:
    """Every route with a path parameter whose view is the project's own."""
    return {
        normalise(pattern) for pattern, entry in _walk(get_resolver()) if "<" in pattern and _is_ours(pattern, entry)
    }


# --- the world: two provinces (tests.security.matrix_world) ---------------------------------------------------


@pytest.fixture(autouse=True)
def _no_background_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@shared_layer
def world(area, published_set, open_round) -> World:
    """Hòa Thuận (66) and Đắk Nia (67), each with its people and objects: :func:`matrix_world.build_world`."""
    world = build_world(area, published_set, open_round)
    ocop_world_build(world)  # OCOP's producers, products, councils and certificates of both provinces
    return world


# --- the registry ----------------------------------------------------------------------------------------

ROUTES: list[Route] = [*ADMIN_ROUTES, *SITE_ROUTES, *CONSULTATION_ROUTES, *RECOGNITION_ROUTES, *OCOP_ROUTES]
REGISTRY = {route.pattern: route for route in ROUTES}


# --- known holes: cells that should be refused but are allowed (strict xfail keeps them visible) --------------
# The holes this matrix found (modeladmin's history view asked no permission of the object; unit inspect was not
# scoped; deleting a referenced department or classification gave a 500) are fixed: none is left.

HOLES: dict[str, str] = {}


# --- the cells -------------------------------------------------------------------------------------------


def _cell_id(role: str, scope: str, request: Request, route: Route, index: int) -> str:
    suffix = (
        f" #{index + 1}"
        if len(route.requests) > 1 and [r.method for r in route.requests].count(request.method) > 1
        else ""
    )
    return f"{role}-{scope}-{request.method} {route.pattern}{suffix}"


def _cells():
    for route in ROUTES:
        for index, request in enumerate(route.requests):
            for role in ROLES:
                for scope in (OWN,) if route.national else (OWN, OTHER):
                    cell = _cell_id(role, scope, request, route, index)
                    marks = [pytest.mark.xfail(strict=True, reason=HOLES[cell])] if cell in HOLES else []
                    yield pytest.param(role, scope, (route.pattern, index), id=cell, marks=marks)


CELLS = list(_cells())


def send(client, request: Request, world: World, side: Side):
    path = request.path(world, side)
    if request.method == "GET":
        return client.get(path)
    body = request.body(world, side) if request.body else {}
    if request.json:
        return client.generic(request.method, path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


@pytest.mark.parametrize(("role", "scope", "target"), CELLS)
def test_attacker_matrix(client, world, role, scope, target):
    pattern, index = target
    route = REGISTRY[pattern]
    request = route.requests[index]
    cell = _cell_id(role, scope, request, route, index)
    side = world.sides[scope]
    for step in STAGES[request.stage]:
        step(side)
    user = world.attackers[role]
    if user is not None:
        client.force_login(user)
    writes = request.method != "GET"
    before = fingerprint() if writes else None

    response = send(client, request, world, side)

    got = outcome(response)
    assert not got.startswith("unexpected") or scope == OWN, f"{cell}: {got}"
    if scope == OTHER:
        if route.other == PUBLIC and got == ALLOWED:
            client.logout()
            public = send(client, request, world, side)
            same = outcome(public) == ALLOWED and content_of(public) == content_of(response)
            assert same or (route.public_only is not None and route.public_only(parsed(response))), (
                f"{cell}: answered more than the public sees ({describe(response)} vs {describe(public)})"
            )
        else:
            assert got == REFUSED, f"{cell}: expected refused, got {got} ({describe(response)})"
        if writes:
            assert changes(before, fingerprint()) == [], (
                f"{cell}: refused, but changed {changes(before, fingerprint())}"
            )
        return
    if role == ANONYMOUS and got == ALLOWED and route.public_only is not None:
        assert route.public_only(parsed(response)), f"{cell}: anonymous reads more than what is published"
    expected = route.own_rights(request).get(role)
    if expected is None:
        assert response.status_code < 500, f"{cell}: {describe(response)}"
        return
    assert got == expected, f"{cell}: expected {expected}, got {got} ({describe(response)})"
    if expected == REFUSED and writes:
        assert changes(before, fingerprint()) == [], f"{cell}: refused, but changed {changes(before, fingerprint())}"


def test_the_registry_covers_every_id_bearing_route():
    """A new id-bearing route of ours must join the matrix: its pattern is named here until it does."""
    collected = collected_routes()
    missing = sorted(collected - REGISTRY.keys())
    stale = sorted(REGISTRY.keys() - collected)
    assert not missing, f"id-bearing routes without an entry in the attacker matrix: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_every_route_has_its_other_province_cells_for_every_role():
    for route in ROUTES:
        if route.national:
            continue
        for index, request in enumerate(route.requests):
            for role in ROLES:
                cell = _cell_id(role, OTHER, request, route, index)
                assert any(param.id == cell for param in CELLS), cell


# --- the national reader: reads every province, changes nothing -----------------------------------------------
# Its reads (every round, statistic and export; no evidence, no queue) are in tests/submissions/test_national_reader.py.

NATIONAL_WRITES = [
    pytest.param(route.pattern, index, scope, id=f"national_reader-{scope}-{request.method} {route.pattern}")
    for route in ROUTES
    for index, request in enumerate(route.requests)
    if request.method != "GET" and not request.national_reader_may
    for scope in ((OWN,) if route.national else (OWN, OTHER))
]


@pytest.mark.parametrize(("pattern", "index", "scope"), NATIONAL_WRITES)
def test_the_national_reader_changes_nothing(client, world, pattern, index, scope):
    """The central coordination office (no unit, no department) is refused every write of the registry, in
    either province, and the database stays as it was (but the writes it may send: ``national_reader_may``)."""
    request = REGISTRY[pattern].requests[index]
    side = world.sides[scope]
    for step in STAGES[request.stage]:
        step(side)
    client.force_login(member(Role.NATIONAL_READER, username="trung_uong"))
    before = fingerprint()

    response = send(client, request, world, side)

    assert outcome(response) == REFUSED, describe(response)
    assert changes(before, fingerprint()) == [], f"refused, but changed {changes(before, fingerprint())}"
