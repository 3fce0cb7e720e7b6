"""The demo the README's first command loads: real units, departments, one user per role, an open round."""

import io

from django.core.management import call_command

import pytest

from cms.directory.models import Department, Membership, Role, Unit, UnitLevel
from criteria_pages.models import CriteriaSetPage
from submissions.models import Round, RoundStatus


@pytest.mark.django_db
def test_load_demo_is_complete_labelled_and_repeatable(client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # safe to run again
    assert Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith="66/").count() == 180
    assert Department.objects.filter(is_demo=True).count() == 12
    assert set(Membership.objects.filter(is_demo=True).values_list("role", flat=True)) == set(Role.values)
    illustrative = CriteriaSetPage.objects.get(is_illustrative=True)
    assert illustrative.title.startswith("[Minh họa]")
    round_ = Round.objects.get()
    assert round_.status == RoundStatus.OPEN
    assert round_.submissions.count() == 149  # the province's rural communes (Xã)
    assert client.login(username="canbo_xa", password="ntm-demo-2026")
    listing = client.get("/danh-gia/")
    assert "Xã Ea H&#x27;leo" in listing.text or "Xã Ea H'leo" in listing.text
    assert client.login(username="vp_dieuphoi", password="ntm-demo-2026")
    assert client.get("/admin/").status_code == 200
