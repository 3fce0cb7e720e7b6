"""The demo the README's first command loads: the historical world (Đắk Lắk in the three-level list, its 2025
round on the 2021–2025 illustrative set) beside the live one (Đắk Lắk in the two-level list, illustrative commune
groups, accounts created through the people import, its 2026 round on the 2026–2030 illustrative set)."""

import io

from django.core.management import call_command

import pytest

from cms.directory.models import Department, Membership, Role, Unit, UnitClassification, UnitLevel
from criteria_pages.models import CriteriaSetPage
from submissions.models import Round, RoundStatus
from submissions.rounds.readiness import round_readiness


@pytest.mark.django_db
def test_load_demo_is_complete_labelled_and_repeatable(client):
    call_command("load_demo", stdout=io.StringIO())
    output = io.StringIO()
    call_command("load_demo", stdout=output)  # safe to run again
    assert "0 created, 0 roles granted" in output.getvalue()

    communes = Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith="66/")
    assert communes.filter(edition__date="2025-03-01").count() == 180
    assert communes.filter(edition__date="2025-07-01").count() == 102
    grouped = UnitClassification.objects.filter(classification__code="commune_group", unit__in=communes)
    assert grouped.count() == 88  # every rural commune (Xã) of the two-level province, illustratively
    assert Department.objects.filter(is_demo=True).count() == 12
    assert set(Membership.objects.filter(is_demo=True).values_list("role", flat=True)) == set(Role.values)

    illustrative = CriteriaSetPage.objects.filter(is_illustrative=True)
    assert illustrative.count() == 3  # 2021–2025 and 2026–2030 communes, and districts (a district round can run)
    assert all(page.title.startswith("[Minh họa]") for page in illustrative)
    live_set = illustrative.get(code="DEMO_XA_NTM_2026_2030_MINH_HOA")
    assert live_set.classification.code == "commune_group"
    assert live_set.get_children().count() == 10

    history, live = Round.objects.order_by("period_start")
    assert history.status == live.status == RoundStatus.OPEN
    assert history.submissions.count() == 149  # the rural communes (Xã) of the three-level province
    assert live.submissions.count() == 88  # ... and of the two-level province
    assert set(live.submissions.values_list("group", flat=True)) == {"NHOM_1", "NHOM_2", "NHOM_3"}
    ready = {item.check: item.ok for item in round_readiness(live)}
    assert ready["classification"] and ready["officers"] and ready["appraisers"]

    assert client.login(username="canbo_xa", password="ntm-demo-2026")
    listing = client.get("/danh-gia/")
    assert listing.text.count("Xã Ea H") == 2  # the commune in both lists, a form in each round
    assert client.login(username="canbo_24181", password="ntm-demo-2026")  # an account from the people import
    assert client.get("/cong-viec/").url == "/danh-gia/"
    assert client.login(username="vp_dieuphoi", password="ntm-demo-2026")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_demo_office_reads_and_exports_both_its_rounds(client):
    """vp_dieuphoi holds Đắk Lắk in both lists (history and live): each round's page shows its statistics and
    exports, and the dashboard follows the newest open round."""
    call_command("load_demo", stdout=io.StringIO())
    assert client.login(username="vp_dieuphoi", password="ntm-demo-2026")
    for round_ in Round.objects.all():
        page = client.get(f"/admin/submissions/round/inspect/{round_.pk}/")
        assert f"/admin/submissions/round/{round_.pk}/export/summary/" in page.text
        export = client.get(f"/admin/submissions/round/{round_.pk}/export/summary/")
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    dashboard = client.get("/admin/").text
    assert 'id="ntm-progress-table"' in dashboard
    assert "[Minh họa] Đánh giá xã nông thôn mới năm 2026" in dashboard
