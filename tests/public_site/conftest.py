"""Shared setup of the public site tests: the small province of ``tests/conftest.py`` with its commune pages
(``site``), and results built straight in the tables (the review flow itself is tested in tests/submissions)."""

from django.core.cache import cache

import pytest

from tests.submissions.factories import RoundFactory, result

ALL_MET = {1: True, 2: True, 10: True}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages are cached in the process-wide local-memory cache: every test starts from an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def results(site, published_set):
    """Two closed rounds with published results: Hòa Thuận improves to the standard, Ea Kly meets two of three."""
    version = published_set["version"]
    scope = {"criteria_version": version, "scope_root": site["province"], "scope_unit_types": "Xã"}
    round_2025 = RoundFactory(year=2025, **scope)
    round_2026 = RoundFactory(year=2026, **scope)
    communes = site["communes"]
    return {
        "rounds": [round_2025, round_2026],
        "hoa_thuan_2025": result(round_2025, communes["hoa_thuan"], {1: True, 2: True, 10: False}),
        "hoa_thuan_2026": result(round_2026, communes["hoa_thuan"], ALL_MET, decision_number="125/QĐ-UBND"),
        "ea_kly_2026": result(round_2026, communes["ea_kly"], {1: True, 2: False, 10: True}),
    }
