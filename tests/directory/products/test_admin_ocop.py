"""The office's admin of producers, products and the OCOP classification: scoped to its province, searched without
diacritics, saved through the services (checked and audited), in Vietnamese."""

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from cms.directory.products.models import Producer, ProducerKind, Product
from tests.factories import commune, district, member, province
from tests.submissions.ocop.factories import ProducerFactory, ProductFactory, group

PRODUCERS = "/admin/directory/producer/"
PRODUCTS = "/admin/directory/product/"
GROUPS = "/admin/directory/productgroup/"


def refused(response) -> bool:
    """Wagtail refuses with a redirect to the dashboard and a message."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/admin/")


def other_province():
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_nia = commune(district(dak_nong, "660", "Huyện Đắk Mil"), "24611", "Xã Đắk Nia")
    return dak_nia, member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67")


def test_the_office_sees_and_edits_only_its_provinces_producers_and_products(client, area):
    own = ProducerFactory(name="HTX Nước Mắm Hòa Thuận", commune=area["communes"]["hoa_thuan"])
    ProductFactory(producer=own, name="Nước mắm nhĩ")
    dak_nia, other_office = other_province()
    foreign = ProducerFactory(name="HTX Đắk Nia", commune=dak_nia)
    client.force_login(area["office"])

    listed = client.get(PRODUCERS).content.decode()
    found = client.get(PRODUCTS, {"q": "nuoc mam"}).content.decode()

    assert "HTX Nước Mắm Hòa Thuận" in listed and "HTX Đắk Nia" not in listed
    assert "Nước mắm nhĩ" in found
    assert refused(client.get(f"{PRODUCERS}edit/{foreign.pk}/"))
    assert client.get(f"{PRODUCERS}edit/{own.pk}/").status_code == 200
    client.force_login(other_office)
    assert refused(client.get(f"{PRODUCERS}edit/{own.pk}/"))


def test_a_producer_created_in_the_admin_goes_through_the_service(client, area):
    client.force_login(area["office"])
    response = client.post(
        f"{PRODUCERS}create/",
        {
            "name": "HTX Mật Ong Ea Wer",
            "kind": ProducerKind.COOPERATIVE,
            "registration_number": "6000777",
            "commune": area["communes"]["ea_wer"].pk,
            "address": "",
            "representative": "",
            "phone": "",
            "email": "",
        },
    )
    producer = Producer.objects.get(name="HTX Mật Ong Ea Wer")
    assert response.status_code == 302
    assert AuditEntry.objects.about(producer).get().action == "producer_registered"

    product = client.post(
        f"{PRODUCTS}create/",
        {"producer": producer.pk, "name": "Mật ong", "group": group("thuc-pham").pk, "description": ""},
    )
    assert product.status_code == 200
    assert "Hãy chọn một phân nhóm của nhóm “Thực phẩm”." in product.content.decode()
    assert not Product.objects.filter(name="Mật ong").exists()


def test_the_office_corrects_the_classification_but_does_not_add_rows(client, area):
    client.force_login(area["office"])
    row = group("do-uong")

    assert client.get(GROUPS).status_code == 200
    assert client.get(f"{GROUPS}edit/{row.pk}/").status_code == 200
    assert refused(client.get(f"{GROUPS}create/"))


def test_the_membership_form_grants_a_producer_login_for_a_producer_of_the_province(client, area):
    own = ProducerFactory(name="HTX Cà Phê", commune=area["communes"]["hoa_thuan"])
    dak_nia, _office = other_province()
    foreign = ProducerFactory(name="HTX Đắk Nia", commune=dak_nia)
    person = member(Role.COMMUNE_OFFICER, unit=area["communes"]["ea_wer"], username="nguoi_moi")
    client.force_login(area["office"])
    data = {"user": person.pk, "role": Role.PRODUCER, "unit": "", "department": ""}

    refused_foreign = client.post("/admin/directory/membership/create/", {**data, "producer": foreign.pk})
    granted = client.post("/admin/directory/membership/create/", {**data, "producer": own.pk})

    assert refused_foreign.status_code == 200
    assert granted.status_code == 302
    assert person.memberships.get(role=Role.PRODUCER).producer == own
