"""Several provinces in one install: each has its own public site by host name (home, communes, criteria pages,
figures) and its own criteria sets beside the national library; an office editor of one province, a
non-superuser, sees and edits only its own pages, photos, documents and sets.

:func:`two_provinces` builds the world once per module: Đắk Lắk (66, the suite's small province, on the default
site ``daklak.example``) and Đắk Nông (67, ``daknong.example``), each with its office editor, its own criteria
set, and a published result in a round of its own set. Tests of people and tokens can build on the same world
(:func:`build_two_provinces`).
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupPagePermission, Page, Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from cms.directory import services as directory_services
from cms.directory.models import Membership, Role
from cms.directory.roles import ROLE_GROUP_NAMES
from cms.security import services as security_services
from criteria_pages import services as criteria_services
from criteria_pages import transfer
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage
from public_site import services
from public_site.models import CommunePage, HomePage
from tests.criteria_pages.factories import round_spec
from tests.factories import UnitClassificationFactory, commune, district, member, province, region, shared_layer
from tests.public_site.conftest import ALL_MET
from tests.public_site.test_performance_and_cache import AGGREGATE_PAGE_MAX_QUERIES, COMMUNE_PAGE_MAX_QUERIES
from tests.submissions.factories import PDF, RoundFactory, result

HOST_66, HOST_67 = "daklak.example", "daknong.example"


def build_two_provinces(site) -> dict:
    """Đắk Lắk's site made a province site (the default one) and Đắk Nông's beside it, with their office editors
    (Đắk Nông's given its membership before its site exists: the site takes them in), a criteria set of each
    province and one of the national library, and a published result of Đắk Nia in Đắk Nông's own set."""
    dak_lak = site["province"]
    home66 = services.province_site_ensure(province=dak_lak, hostname=HOST_66, default=True)
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = district(dak_nong, "660", "Huyện Đắk Mil")
    communes67 = {
        "dak_nia": commune(dak_mil, "24611", "Xã Đắk Nia"),
        "dak_gan": commune(dak_mil, "24612", "Xã Đắk Gằn"),
    }
    for unit in communes67.values():
        UnitClassificationFactory(unit=unit, value=region("TN"))
    office67 = member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67")
    home67 = services.province_site_ensure(province=dak_nong, hostname=HOST_67)
    indexes = {
        66: CriteriaIndexPage.objects.child_of(home66).get(),
        67: CriteriaIndexPage.objects.child_of(home67).get(),
        "national": CriteriaIndexPage.objects.get(depth=2),
    }
    spec = round_spec()
    set67, version67 = criteria_services.criteria_set_import(
        spec=dataclasses.replace(spec, code="RIENG_67", name="Bộ tiêu chí riêng Đắk Nông"), parent=indexes[67]
    )
    national, national_version = criteria_services.criteria_set_import(
        spec=dataclasses.replace(spec, code="QUOC_GIA", name="Bộ tiêu chí quốc gia thử"), parent=indexes["national"]
    )
    round67 = RoundFactory(
        year=2026, name="Đánh giá năm 2026 (Đắk Nông)", criteria_version=version67, scope_root=dak_nong
    )
    result(round67, communes67["dak_nia"], ALL_MET)
    return {
        66: {"province": dak_lak, "home": home66, "office": site["office"], "index": indexes[66]},
        67: {"province": dak_nong, "home": home67, "office": office67, "index": indexes[67], "communes": communes67},
        "national": {"index": indexes["national"], "set": national, "version": national_version},
        "set67": set67,
        "version67": version67,
        "pages66": site["pages"],
        "pages67": {key: CommunePage.objects.get(unit=unit) for key, unit in communes67.items()},
    }


@shared_layer
def two_provinces(site, published_set):
    """:func:`build_two_provinces` (Đắk Lắk's own set is the suite's ``published_set``)."""
    return {**build_two_provinces(site), "set66": published_set["page"], "version66": published_set["version"]}


def text(client, url, host, status=200):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status, (url, host, response.status_code)
    return response.text if status == 200 else ""


# --- the public sites, by host name ---------------------------------------------------------------------------


def test_each_province_answers_on_its_own_host_name_with_its_own_communes(client, two_provinces):
    home66, home67 = two_provinces[66]["home"], two_provinces[67]["home"]
    assert f"<h1>{home66.title}</h1>" in text(client, "/", HOST_66)
    assert f"<h1>{home67.title}</h1>" in text(client, "/", HOST_67)
    communes66, communes67 = text(client, "/xa/", HOST_66), text(client, "/xa/", HOST_67)
    assert "Xã Hòa Thuận" in communes66 and "Xã Đắk Nia" not in communes66
    assert "Xã Đắk Nia" in communes67 and "Xã Đắk Gằn" in communes67 and "Xã Hòa Thuận" not in communes67
    # an unknown host name gets the default site: the first province
    assert f"<h1>{home66.title}</h1>" in text(client, "/", "other.example")


def test_a_commune_page_is_only_on_its_province_site(client, two_provinces):
    assert "<h1>Xã Đắk Nia</h1>" in text(client, "/xa/xa-dak-nia/", HOST_67)
    text(client, "/xa/xa-dak-nia/", HOST_66, status=404)
    text(client, "/xa/xa-hoa-thuan/", HOST_67, status=404)


def test_figures_criteria_and_search_read_the_province_of_their_site(client, two_provinces, results):
    home66, home67 = text(client, "/", HOST_66), text(client, "/", HOST_67)
    assert "Kết quả đã công bố – Đánh giá năm 2026 (Đắk Nông)" in home67
    assert "xã đạt chuẩn, trên 1 xã có kết quả công bố (100%)" in home67
    assert "Bộ tiêu chí: Bộ tiêu chí riêng Đắk Nông" in home67
    assert "Đắk Nông" not in home66
    assert "xã đạt chuẩn, trên 2 xã có kết quả công bố (50%)" in home66
    criterion67, criterion66 = text(client, "/tieu-chi/1/", HOST_67), text(client, "/tieu-chi/1/", HOST_66)
    assert "Xã Đắk Nia" in criterion67 and "Xã Hòa Thuận" not in criterion67
    assert "Xã Hòa Thuận" in criterion66 and "Xã Đắk Nia" not in criterion66
    found66, found67 = text(client, "/tim-kiem/?q=xa", HOST_66), text(client, "/tim-kiem/?q=xa", HOST_67)
    assert "Xã Ea Kly" in found66 and "Xã Đắk Nia" not in found66
    assert "Xã Đắk Nia" in found67 and "Xã Ea Kly" not in found67


def test_the_sitemap_of_a_site_lists_only_its_own_pages(client, two_provinces, results):
    sitemap = text(client, "/sitemap.xml", HOST_67)
    assert f"http://{HOST_67}/xa/xa-dak-nia/" in sitemap
    assert f"http://{HOST_67}/tieu-chi/1/" in sitemap
    assert "xa-hoa-thuan" not in sitemap and HOST_66 not in sitemap


def test_cached_pages_are_kept_per_site(client, two_provinces):
    Site.objects.create(hostname="www." + HOST_67, root_page=two_provinces[67]["home"], site_name="Bí danh")
    first66 = client.get("/", HTTP_HOST=HOST_66)
    assert client.get("/", HTTP_HOST=HOST_66)["X-Public-Cache"] == "hit"
    first67 = client.get("/", HTTP_HOST=HOST_67)
    assert "X-Public-Cache" not in first67 and first67.content != first66.content
    assert client.get("/", HTTP_HOST=HOST_67)["X-Public-Cache"] == "hit"
    # the same home reached by another host name is rendered for that site, not served from the other's entry
    assert "X-Public-Cache" not in client.get("/", HTTP_HOST="www." + HOST_67)


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/xa/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tieu-chi/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tieu-chi/1/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tim-kiem/?q=dak", AGGREGATE_PAGE_MAX_QUERIES),
        ("/xa/xa-dak-nia/", COMMUNE_PAGE_MAX_QUERIES),
    ],
)
def test_a_second_province_site_costs_no_more_queries(client, two_provinces, django_assert_max_num_queries, url, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(url, HTTP_HOST=HOST_67)
    assert response.status_code == 200


# --- setting up a province's site -----------------------------------------------------------------------------


def test_a_province_site_has_its_sections_its_own_sets_and_the_national_library(two_provinces):
    home67 = two_provinces[67]["home"]
    assert [page.title for page in home67.get_children()] == ["Các xã", "Kết quả theo tiêu chí", "Bộ tiêu chí"]
    assert Site.objects.get(root_page=home67).hostname == HOST_67
    assert Site.objects.get(is_default_site=True).root_page_id == two_provinces[66]["home"].pk
    assert two_provinces[67]["index"].province == two_provinces[67]["province"]
    assert two_provinces[66]["index"].province == two_provinces[66]["province"]
    national = two_provinces["national"]["index"]
    assert national.province is None and national.get_parent().is_root()
    # the single-province install's home was taken by the first province: still one home for it, at the root
    assert HomePage.objects.count() == 2


def test_setting_up_a_site_again_changes_nothing(two_provinces):
    pages, sites, groups = Page.objects.count(), Site.objects.count(), GroupPagePermission.objects.count()
    home = services.province_site_ensure(province=two_provinces[67]["province"], hostname=HOST_67)
    assert home == two_provinces[67]["home"]
    assert (Page.objects.count(), Site.objects.count(), GroupPagePermission.objects.count()) == (pages, sites, groups)


def test_a_host_name_of_another_province_is_refused(two_provinces):
    with pytest.raises(services.ProvinceSiteError, match="Tên miền daklak.example đã dùng"):
        services.province_site_ensure(province=two_provinces[67]["province"], hostname=HOST_66)
    assert Site.objects.get(root_page=two_provinces[67]["home"]).hostname == HOST_67


def test_one_home_per_province(two_provinces):
    second = HomePage(title="Trang thứ hai", slug="trang-thu-hai", province=two_provinces[67]["province"])
    with pytest.raises(ValidationError) as raised:
        Page.get_first_root_node().add_child(instance=second)
    assert raised.value.message_dict["province"] == ["Tỉnh này đã có trang chủ (mỗi tỉnh một trang công khai)."]


def test_the_command_creates_a_province_site(two_provinces, capsys):
    lam_dong = province(code="68", name="Tỉnh Lâm Đồng")
    commune(district(lam_dong, "672", "Huyện Lâm Hà"), "24900", "Xã Nam Hà")
    call_command("create_province_site", province="68", hostname="lamdong.example")
    home = HomePage.objects.get(province=lam_dong)
    assert Site.objects.get(hostname="lamdong.example").root_page_id == home.pk
    assert CommunePage.objects.child_of(home.get_children().get(slug="xa")).get().title == "Xã Nam Hà"
    assert "NTM – Văn phòng Điều phối – Tỉnh Lâm Đồng" in capsys.readouterr().out
    assert CriteriaIndexPage.objects.filter(depth=2).count() == 1  # one national library


# --- an office editor (a non-superuser) of 66, in the admin -------------------------------------------------


@pytest.fixture
def editor66(client, two_provinces):
    client.force_login(two_provinces[66]["office"])
    return client


def refused(response) -> bool:
    """Wagtail answers 403, or sends the user back to the admin home with "no permission"."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/admin/")


def test_the_editor_explorer_starts_at_their_province_home(editor66, two_provinces):
    home66, home67 = two_provinces[66]["home"], two_provinces[67]["home"]
    assert editor66.get("/admin/pages/")["Location"] == f"/admin/pages/{home66.pk}/"
    assert editor66.get(f"/admin/pages/{home67.pk}/")["Location"] == f"/admin/pages/{home66.pk}/"
    index67 = two_provinces[67]["index"]
    assert editor66.get(f"/admin/pages/{index67.pk}/")["Location"] == f"/admin/pages/{home66.pk}/"
    listing = editor66.get(f"/admin/pages/{home66.pk}/").text
    assert "Các xã" in listing and f"/admin/pages/{home67.pk}/" not in listing and "Xã Đắk Nia" not in listing


def test_the_editor_edits_and_publishes_their_own_province_pages(editor66, two_provinces, client):
    page = two_provinces["pages66"]["hoa_thuan"]
    response = editor66.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": "Xã Hòa Thuận",
                "slug": page.slug,
                "body": streamfield([("text", rich_text("<p>Xã có 12 thôn, buôn.</p>"))]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    client.logout()
    assert "Xã có 12 thôn, buôn." in text(client, "/xa/xa-hoa-thuan/", HOST_66)
    assert page.get_parent().specific.permissions_for_user(two_provinces[66]["office"]).can_add_subpage() is False
    set66 = two_provinces["set66"]
    assert set66.permissions_for_user(two_provinces[66]["office"]).can_publish()


def _targets(world):
    home67 = world[67]["home"]
    return {
        "commune page": world["pages67"]["dak_nia"],
        "home": home67,
        "criteria set": world["set67"],
        "national set": world["national"]["set"],
    }


ACTIONS = {
    "edit": ("GET", "/admin/pages/{pk}/edit/"),
    "publish": ("POST", "/admin/pages/{pk}/edit/"),
    "unpublish": ("POST", "/admin/pages/{pk}/unpublish/"),
    "delete": ("POST", "/admin/pages/{pk}/delete/"),
    "move": ("GET", "/admin/pages/{pk}/move/"),
    "copy": ("POST", "/admin/pages/{pk}/copy/"),
    "lock": ("POST", "/admin/pages/{pk}/lock/"),
    "history": ("GET", "/admin/pages/{pk}/history/"),
    "view draft": ("GET", "/admin/pages/{pk}/view_draft/"),
    "revisions": ("GET", "/admin/pages/{pk}/revisions/compare/earliest...latest/"),
    "usage": ("GET", "/admin/pages/{pk}/usage/"),
    "workflow history": ("GET", "/admin/pages/{pk}/workflow_history/"),
    "move confirm": ("POST", "/admin/pages/{pk}/move/%s/confirm/"),
}


@pytest.mark.parametrize("target", ["commune page", "home", "criteria set", "national set"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_editor_cannot_touch_another_province_or_the_national_pages(editor66, two_provinces, target, action):
    page = _targets(two_provinces)[target]
    method, url = ACTIONS[action]
    before = Page.objects.get(pk=page.pk)
    pages = Page.objects.count()
    body = nested_form_data(
        {
            "title": "Bị sửa",
            "slug": page.slug,
            "action-publish": "publish",
            "new_title": "Bản sao",
            "new_slug": "ban-sao",
            "new_parent_page": two_provinces[66]["home"].pk,
            "copy_subpages": "true",
            "publish_copies": "true",
        }
    )
    url = url.format(pk=page.pk).replace("%s", str(two_provinces[66]["home"].pk))
    response = editor66.get(url) if method == "GET" else editor66.post(url, body)
    assert refused(response), (response.status_code, response.get("Location"))
    after = Page.objects.get(pk=page.pk)
    fields = ("title", "live", "locked", "path")
    assert [getattr(after, name) for name in fields] == [getattr(before, name) for name in fields]
    assert Page.objects.count() == pages


def test_editing_the_province_index_keeps_it_the_province_own(editor66, two_provinces):
    index = two_provinces[66]["index"]
    draft = CriteriaIndexPage.objects.get(pk=index.pk)
    draft.province = None  # a draft saved before the site was set up: the index had no province then
    draft.save_revision()
    form = {"title": "Bộ tiêu chí của tỉnh", "slug": index.slug, "intro": rich_text(""), "action-publish": "1"}
    assert editor66.post(f"/admin/pages/{index.pk}/edit/", nested_form_data(form)).status_code == 302
    index.refresh_from_db()
    assert (index.title, index.province) == ("Bộ tiêu chí của tỉnh", two_provinces[66]["province"])


def test_editing_the_home_page_keeps_its_province_and_editors(editor66, two_provinces):
    home = two_provinces[66]["home"]
    draft = HomePage.objects.get(pk=home.pk)
    draft.province, draft.editors, draft.collection = None, None, None  # a draft from before the site's setup
    draft.save_revision()
    form = {"title": home.title, "slug": home.slug, "intro": "Giới thiệu mới", "action-publish": "1"}
    assert editor66.post(f"/admin/pages/{home.pk}/edit/", nested_form_data(form)).status_code == 302
    home.refresh_from_db()
    assert (home.intro, home.province, home.editors, home.collection) == (
        "Giới thiệu mới",
        two_provinces[66]["province"],
        two_provinces[66]["home"].editors,
        two_provinces[66]["home"].collection,
    )
    assert home.permissions_for_user(two_provinces[66]["office"]).can_edit()


def test_the_admin_search_finds_no_page_of_another_province(editor66, two_provinces):
    found = editor66.get("/admin/pages/search/", {"q": "Đắk"}).text
    assert "Xã Đắk Nia" not in found and "Bộ tiêu chí riêng Đắk Nông" not in found
    assert "Xã Hòa Thuận" in editor66.get("/admin/pages/search/", {"q": "Hòa Thuận"}).text


@pytest.mark.parametrize("action", ["edit", "history", "view draft", "revisions", "usage", "workflow history", "move"])
def test_the_same_admin_pages_open_for_the_editor_own_pages(editor66, two_provinces, action):
    _method, url = ACTIONS[action]
    page = two_provinces["pages66"]["hoa_thuan"]
    page.save_revision()
    assert editor66.get(url.format(pk=page.pk)).status_code == 200


def test_the_admin_explorer_menu_lists_no_page_of_another_province(editor66, two_provinces):
    home66, home67 = two_provinces[66]["home"], two_provinces[67]["home"]
    response = editor66.get("/admin/api/main/pages/", {"child_of": home67.pk, "for_explorer": 1})
    assert response.status_code in (400, 403, 404) or response.json()["items"] == []
    own = editor66.get("/admin/api/main/pages/", {"child_of": home66.pk, "for_explorer": 1}).json()["items"]
    assert "Các xã" in {item["title"] for item in own}


def test_the_editor_cannot_add_pages_under_another_province(editor66, two_provinces):
    index67 = two_provinces[67]["index"]
    assert refused(editor66.get(f"/admin/pages/add/criteria_pages/criteriasetpage/{index67.pk}/"))
    assert refused(editor66.get(f"/admin/pages/{index67.pk}/add_subpage/"))
    national = two_provinces["national"]["index"]
    assert refused(editor66.get(f"/admin/pages/add/criteria_pages/criteriasetpage/{national.pk}/"))


def test_the_page_chooser_offers_no_page_of_another_province(editor66, two_provinces):
    home67 = two_provinces[67]["home"]
    inside = editor66.get(f"/admin/choose-page/{home67.pk}/").text
    assert "Các xã" not in inside and "Bộ tiêu chí" not in inside
    found = editor66.get("/admin/choose-page/search/", {"q": "Đắk"}).text
    assert "Xã Đắk Nia" not in found and "Bộ tiêu chí riêng Đắk Nông" not in found
    own = editor66.get("/admin/choose-page/search/", {"q": "Hòa Thuận"}).text
    assert "Xã Hòa Thuận" in own
    # the national sets stay choosable (an evaluation form of the province may use one)
    sets = editor66.get("/admin/choose-page/search/", {"q": "thử", "page_type": "criteria_pages.criteriasetpage"}).text
    assert "Bộ tiêu chí quốc gia thử" in sets and "Bộ tiêu chí riêng Đắk Nông" not in sets


def test_the_editor_reads_national_and_own_sets_only(editor66, two_provinces):
    for page in (two_provinces["set66"], two_provinces["national"]["set"]):
        assert editor66.get(f"/admin/criteria/sets/{page.pk}/versions/").status_code == 200
        assert editor66.get(f"/admin/criteria/sets/{page.pk}/export.json").status_code == 200
    set67 = two_provinces["set67"]
    assert editor66.get(f"/admin/criteria/sets/{set67.pk}/versions/").status_code == 404
    assert editor66.get(f"/admin/criteria/sets/{set67.pk}/export.xlsx").status_code == 404


def test_a_round_offers_the_national_and_the_province_own_sets(editor66, two_provinces):
    form = editor66.get("/admin/submissions/round/create/").context["form"]
    offered = {version.pk for version in form.fields["criteria_version"].queryset}
    assert offered == {two_provinces["version66"].pk, two_provinces["national"]["version"].pk}


def _set_file(code: str, name: str) -> SimpleUploadedFile:
    spec = dataclasses.replace(round_spec(), code=code, name=name)
    return SimpleUploadedFile(f"{code.lower()}.json", transfer.spec_to_json(spec).encode("utf-8"))


def test_the_editor_imports_a_set_into_their_province(editor66, two_provinces):
    response = editor66.get("/admin/criteria/import/")
    assert "index" not in response.context["form"].fields  # nowhere else to choose
    response = editor66.post("/admin/criteria/import/", {"file": _set_file("RIENG_66", "Bộ riêng Đắk Lắk")})
    assert response.status_code == 302
    page = CriteriaSetPage.objects.get(code="RIENG_66")
    assert page.get_parent().pk == two_provinces[66]["index"].pk


def test_importing_the_code_of_another_province_set_changes_nothing(editor66, two_provinces):
    response = editor66.post("/admin/criteria/import/", {"file": _set_file("RIENG_67", "Chiếm bộ của tỉnh khác")})
    assert response.status_code == 400
    assert "Mã bộ tiêu chí “RIENG_67” đã được dùng cho một bộ tiêu chí ở nơi khác" in response.text
    assert CriteriaSetPage.objects.get(code="RIENG_67").title == "Bộ tiêu chí riêng Đắk Nông"
    assert two_provinces["set67"].versions.count() == 1


def test_a_superuser_chooses_where_to_import(client, two_provinces, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", "qt@example.org", "x"))
    choices = dict(client.get("/admin/criteria/import/").context["form"].fields["index"].choices)
    assert list(choices.values())[1:] == [
        "Bộ tiêu chí quốc gia",
        "Bộ tiêu chí – Tỉnh Đắk Lắk",
        "Bộ tiêu chí – Tỉnh Đắk Nông",
    ]
    national = two_provinces["national"]["index"]
    response = client.post("/admin/criteria/import/", {"file": _set_file("QG_MOI", "Bộ mới"), "index": national.pk})
    assert response.status_code == 302
    assert CriteriaSetPage.objects.get(code="QG_MOI").get_parent().pk == national.pk


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("anh.png", get_test_image_file().file.getvalue(), content_type="image/png")


def test_the_editor_uploads_photos_and_documents_only_into_their_province_collection(editor66, two_provinces):
    own, other = two_provinces[66]["home"].collection, two_provinces[67]["home"].collection
    assert (own.name, other.name) == ("Tỉnh Đắk Lắk", "Tỉnh Đắk Nông")
    Image, Document = get_image_model(), get_document_model()
    # Wagtail offers no choice of collection to someone who may add to one only: a collection asked for in the
    # request is ignored and the file lands in the province's own
    for collection in (other, Collection.get_first_root_node()):
        response = editor66.post("/admin/images/add/", {"title": "Ảnh", "file": png(), "collection": collection.pk})
        assert response.status_code == 302
        response = editor66.post(
            "/admin/documents/add/",
            {"title": "Tài liệu", "file": SimpleUploadedFile("qd.pdf", PDF), "collection": collection.pk},
        )
        assert response.status_code == 302, response.context["form"].errors
    assert {image.collection for image in Image.objects.all()} == {own}
    assert {document.collection for document in Document.objects.all()} == {own}
    Image.objects.create(title="Ảnh của Đắk Nông", file=get_test_image_file(), collection=other)
    other_image = Image.objects.get(collection=other)
    assert "Ảnh của Đắk Nông" not in editor66.get("/admin/images/").text
    assert refused(editor66.get(f"/admin/images/{other_image.pk}/"))
    assert refused(editor66.post(f"/admin/images/{other_image.pk}/delete/"))
    assert Image.objects.filter(pk=other_image.pk).exists()


def test_page_permissions_follow_memberships(client, two_provinces):
    home66, home67 = two_provinces[66]["home"], two_provinces[67]["home"]
    user = member(Role.OFFICE_EDITOR, unit=two_provinces[67]["province"], username="vanphong_67_moi")
    assert set(user.groups.values_list("name", flat=True)) == {
        ROLE_GROUP_NAMES[Role.OFFICE_EDITOR],
        "NTM – Văn phòng Điều phối – Tỉnh Đắk Nông",
    }
    client.force_login(user)
    page67, page66 = two_provinces["pages67"]["dak_nia"], two_provinces["pages66"]["hoa_thuan"]
    assert client.get(f"/admin/pages/{page67.pk}/edit/").status_code == 200
    assert refused(client.get(f"/admin/pages/{page66.pk}/edit/"))
    # moved to Đắk Lắk: the editor now edits Đắk Lắk's pages and no longer Đắk Nông's
    membership = Membership.objects.get(user=user)
    membership.unit = two_provinces[66]["province"]
    directory_services.membership_save(membership=membership)
    assert home66.permissions_for_user(user).can_edit() and not home67.permissions_for_user(user).can_edit()
    directory_services.membership_delete(membership=membership)
    user = type(user).objects.get(pk=user.pk)  # Wagtail caches a user's page permissions on the object
    assert not user.groups.exists()
    assert not home66.permissions_for_user(user).can_edit()


def test_the_global_office_group_keeps_no_page_or_media_permission(two_provinces):
    office = ROLE_GROUP_NAMES[Role.OFFICE_EDITOR]
    assert not GroupPagePermission.objects.filter(group__name=office).exists()
    ours = GroupPagePermission.objects.filter(group__name__startswith="NTM")  # not Wagtail's own example groups
    held = set(ours.values_list("group__name", "page_id").distinct())
    assert held == {
        ("NTM – Văn phòng Điều phối – Tỉnh Đắk Lắk", two_provinces[66]["home"].pk),
        ("NTM – Văn phòng Điều phối – Tỉnh Đắk Nông", two_provinces[67]["home"].pk),
    }


def test_the_editor_cannot_change_the_province_of_their_site(editor66, two_provinces):
    home66 = two_provinces[66]["home"]
    form = editor66.get(f"/admin/pages/{home66.pk}/edit/").context["form"]
    assert "province" not in form.fields
    assert "intro" in form.fields


def test_a_province_set_on_a_home_page_in_the_admin_brings_its_editors(client, two_provinces, django_user_model):
    lam_dong = province(code="68", name="Tỉnh Lâm Đồng")
    office68 = member(Role.OFFICE_EDITOR, unit=lam_dong, username="vanphong_68")
    home = HomePage(title="Nông thôn mới Lâm Đồng", slug="lam-dong")
    Page.get_first_root_node().add_child(instance=home)
    client.force_login(django_user_model.objects.create_superuser("quantri", "qt@example.org", "x"))
    response = client.post(
        f"/admin/pages/{home.pk}/edit/",
        nested_form_data(
            {"title": home.title, "slug": home.slug, "intro": "", "province": lam_dong.pk, "action-publish": "publish"}
        ),
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.editors.name == "NTM – Văn phòng Điều phối – Tỉnh Lâm Đồng"
    assert home.permissions_for_user(office68).can_edit()
    assert [page.title for page in home.get_children()] == ["Các xã", "Kết quả theo tiêu chí", "Bộ tiêu chí"]
    # a second home for the same province is refused with a message
    other = HomePage(title="Trùng tỉnh", slug="trung-tinh")
    Page.get_first_root_node().add_child(instance=other)
    response = client.post(
        f"/admin/pages/{other.pk}/edit/",
        nested_form_data(
            {
                "title": other.title,
                "slug": other.slug,
                "intro": "",
                "province": lam_dong.pk,
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["province"] == ["Tỉnh này đã có trang chủ (mỗi tỉnh một trang công khai)."]


def test_the_pages_api_serves_the_pages_of_the_site_asked(client, two_provinces):
    def codes(host):
        response = client.get(
            "/api/v2/pages/", {"type": "criteria_pages.CriteriaSetPage", "fields": "code"}, HTTP_HOST=host
        )
        return {item["code"] for item in response.json()["items"]}

    assert codes(HOST_67) == {"RIENG_67"}
    assert codes(HOST_66) == {"THU_DOT"}


# --- people and integrator tokens of the other province ---------------------------------------------------------


def test_the_editor_neither_sees_nor_changes_the_people_or_tokens_of_the_other_province(editor66, two_provinces):
    """Beside the pages: Đắk Nông's office editor and its integrator's token are invisible to Đắk Lắk's office
    editor — not listed, not opened, not changed, not revoked — while Đắk Lắk's own are."""
    office67 = two_provinces[67]["office"]
    token67 = security_services.integrator_token_create(
        province=two_provinces[67]["province"], integrator_name="Cổng dữ liệu Đắk Nông", name="Đọc kết quả"
    ).token
    token66 = security_services.integrator_token_create(
        province=two_provinces[66]["province"], integrator_name="Cổng dữ liệu Đắk Lắk", name="Đọc kết quả"
    ).token

    people = editor66.get("/admin/nguoi-dung/")
    listed = {person.username for person, _changeable in people.context["people"]}
    assert two_provinces[66]["office"].username in listed and office67.username not in listed
    assert editor66.get(f"/admin/nguoi-dung/{office67.pk}/").status_code == 404
    assert editor66.post(f"/admin/nguoi-dung/{office67.pk}/khoa/").status_code == 404
    office67.refresh_from_db()
    assert office67.is_active

    tokens = editor66.get("/admin/security/api-tokens/").text
    assert token66.prefix in tokens and token67.prefix not in tokens
    assert editor66.post(f"/admin/security/api-tokens/{token67.pk}/revoke/", {"comment": ""}).status_code == 404
    token67.refresh_from_db()
    assert token67.revoked_at is None
