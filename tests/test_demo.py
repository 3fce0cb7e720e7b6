"""The demo the README's first command loads: the historical world (Đắk Lắk in the three-level list, its 2025
round on the 2021–2025 illustrative set) beside the live one (Đắk Lắk in the two-level list, illustrative commune
groups, accounts created through the people import, its 2026 round on the 2026–2030 illustrative set), and its
illustrative OCOP round played to the end (scored, recognised, published in the catalogue)."""

import io

from django.core.management import call_command

import pytest

from cms.directory.models import Department, Membership, Role, Unit, UnitClassification, UnitLevel
from cms.directory.products.models import Producer, Product
from criteria_pages import starter
from criteria_pages.models import CriteriaSetPage
from public_site.products import ProductIndexPage, ProductPage
from submissions import demo as submissions_demo
from submissions.models import Round, RoundStatus, RoundSubject, SubmissionStatus
from submissions.ocop.models import Certificate, CouncilStatus, RecognitionLevel
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
    assert illustrative.count() == 4  # 2021–2025 and 2026–2030 communes, districts (a district round can run), OCOP
    assert all(page.title.startswith("[Minh họa]") for page in illustrative)
    live_set = illustrative.get(code="DEMO_XA_NTM_2026_2030_MINH_HOA")
    assert live_set.classification.code == "commune_group"
    assert live_set.get_children().count() == 10

    history, live = Round.objects.filter(subject=RoundSubject.UNIT).order_by("period_start")
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

    _assert_the_ocop_demo(client)


def _assert_the_ocop_demo(client):
    """Four producers in four communes, eight products, a council of three that closed, 3-4 stars recognised by
    one province decision, the 5 stars by the national one, all published in the catalogue; the 2 stars not."""
    ocop = Round.objects.get(name=submissions_demo.OCOP_ROUND_NAME)
    assert "Minh họa" in ocop.name and ocop.subject == RoundSubject.PRODUCT
    assert ocop.criteria_version.set_page.code == starter.DEMO_OCOP_CODE
    producers = Producer.objects.filter(is_demo=True)
    assert producers.count() == 4 and producers.values("commune").distinct().count() == 4
    assert Product.objects.filter(is_demo=True).count() == 8
    dossiers = ocop.submissions.select_related("product")
    stars = {}
    for dossier in dossiers:
        stars[dossier.stars] = stars.get(dossier.stars, 0) + 1
    assert stars == {5: 1, 4: 3, 3: 3, 2: 1}
    assert {d.product.name for d in dossiers if d.stars == 2} == {"Du lịch cộng đồng buôn Trí"}
    two_stars = dossiers.get(stars=2)
    assert two_stars.status == SubmissionStatus.RECOGNITION and not two_stars.published
    recognised = dossiers.filter(status=SubmissionStatus.RECOGNISED, published=True)
    assert recognised.count() == 7
    council = ocop.councils.get()
    assert council.status == CouncilStatus.CLOSED
    assert council.members.count() == 3 and council.members.filter(is_chair=True).count() == 1
    assert all(entry.self_points is not None for entry in council.entries.all())
    public = Certificate.objects.public().filter(submission__round=ocop)
    assert public.count() == 7
    assert public.get(decision__level=RecognitionLevel.NATIONAL).stars == 5
    assert public.filter(decision__level=RecognitionLevel.PROVINCE).values("decision").distinct().count() == 1

    index = ProductIndexPage.objects.live().get()
    pages = ProductPage.objects.live().descendant_of(index)
    assert set(pages.values_list("title", flat=True)) == {d.product.name for d in recognised}
    catalogue = client.get(index.url)
    assert catalogue.status_code == 200
    assert "Mật ong hoa cà phê Krông Năng" in catalogue.text
    assert "Du lịch cộng đồng buôn Trí" not in catalogue.text  # 2 stars: never public
    assert client.login(username="chuthe_eatul", password="ntm-demo-2026")
    assert client.login(username="hoidong_chutich", password="ntm-demo-2026")


@pytest.mark.django_db
def test_the_demo_office_reads_and_exports_both_its_rounds(client):
    """vp_dieuphoi holds Đắk Lắk in both lists (history and live): each round's page shows its statistics and
    exports, and the dashboard follows the newest open round."""
    call_command("load_demo", stdout=io.StringIO())
    assert client.login(username="vp_dieuphoi", password="ntm-demo-2026")
    for round_ in Round.objects.filter(subject=RoundSubject.UNIT):
        page = client.get(f"/admin/submissions/round/inspect/{round_.pk}/")
        assert f"/admin/submissions/round/{round_.pk}/export/summary/" in page.text
        export = client.get(f"/admin/submissions/round/{round_.pk}/export/summary/")
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    dashboard = client.get("/admin/").text
    assert 'id="ntm-progress-table"' in dashboard
    assert "[Minh họa] Đánh giá xã nông thôn mới năm 2026" in dashboard
