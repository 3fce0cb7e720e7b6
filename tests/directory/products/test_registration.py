"""Producers and products on the phone screens (``/ocop/chu-the/…``, ``/ocop/san-pham/…``): who registers whom, what
each person sees, the refusals in Vietnamese with the input kept, private photos, folded search, constant queries,
a producer's login, and a product's OCOP history."""

import io

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from PIL import Image

from cms.audit.models import AuditEntry
from cms.directory.models import Membership, Role
from cms.directory.products import selectors, services
from cms.directory.products.models import Producer, ProducerKind, Product, ProductPhoto
from cms.people.models import Invitation
from submissions.models import SubmissionStatus
from tests.factories import commune, district, member, province, shared_layer
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    dossiers,
    group,
    ocop_version,
    producer_account,
    product_round,
)


@shared_layer
def ocop(area):
    """Two producers of Hòa Thuận and Ea Kly with a login each and a product each, and a second province (Đắk Nông)
    with its own commune, officer and office."""
    communes = area["communes"]
    producer_a = ProducerFactory(name="Hợp tác xã Cà phê Hòa Thuận", commune=communes["hoa_thuan"])
    producer_b = ProducerFactory(name="Hợp tác xã Ea Kly", commune=communes["ea_kly"])
    product_a = ProductFactory(producer=producer_a, name="Nước mắm cá cơm", group=group("do-uong"))
    product_b = ProductFactory(producer=producer_b, name="Cà phê bột", group=group("do-uong"))
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_nia = commune(district(dak_nong, "660", "Huyện Đắk Mil"), "24611", "Xã Đắk Nia")
    return {
        **area,
        "producer_a": producer_a,
        "producer_b": producer_b,
        "product_a": product_a,
        "product_b": product_b,
        "account_a": producer_account(producer_a, username="chuthe_a"),
        "account_b": producer_account(producer_b, username="chuthe_b"),
        "other_commune": dak_nia,
        "other_officer": member(Role.COMMUNE_OFFICER, unit=dak_nia, username="canbo_67"),
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
    }


def producer_post(commune, **changes) -> dict:
    data = {
        "commune": commune.pk,
        "name": "Hợp tác xã Nông nghiệp Xanh",
        "kind": ProducerKind.COOPERATIVE,
        "registration_number": "6000123456",
        "address": "Thôn 3",
        "representative": "Trần Thị Đại Diện",
        "phone": "0905111222",
        "email": "htxxanh@example.vn",
    }
    return {**data, **changes}


def png(name="anh.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


# --- registering producers ---------------------------------------------------------------------------------


def test_a_commune_officer_registers_a_producer_of_their_commune(client, ocop):
    officer = ocop["officers"]["hoa_thuan"]
    client.force_login(officer)

    response = client.post(reverse("ocop_products:producer_create"), producer_post(ocop["communes"]["hoa_thuan"]))

    producer = Producer.objects.get(name="Hợp tác xã Nông nghiệp Xanh")
    assert response.status_code == 302
    assert response["Location"] == reverse("ocop_products:producer_detail", args=[producer.pk])
    assert producer.commune == ocop["communes"]["hoa_thuan"]
    assert producer.created_by == officer
    entry = AuditEntry.objects.about(producer).get()
    assert entry.action == "producer_registered" and entry.role == Role.COMMUNE_OFFICER
    page = client.get(response["Location"])
    assert "Hợp tác xã Nông nghiệp Xanh" in page.content.decode() and "Tạo tài khoản" in page.content.decode()


def test_a_commune_officer_cannot_register_in_another_commune_nor_another_province(client, ocop):
    client.force_login(ocop["officers"]["hoa_thuan"])
    url = reverse("ocop_products:producer_create")

    same_province = client.post(url, producer_post(ocop["communes"]["ea_kly"]))
    other_province = client.post(url, producer_post(ocop["other_commune"]))

    assert same_province.status_code == 403
    assert other_province.status_code == 404
    assert not Producer.objects.filter(name="Hợp tác xã Nông nghiệp Xanh").exists()
    with pytest.raises(services.ProductError) as refused:
        services.producer_register(
            user=ocop["officers"]["hoa_thuan"], commune=ocop["communes"]["ea_kly"], name="X", kind="cooperative"
        )
    assert refused.value.code == "forbidden"


def test_the_office_registers_a_producer_in_any_commune_of_its_province_only(client, ocop):
    client.force_login(ocop["office"])
    url = reverse("ocop_products:producer_create")

    assert client.post(url, producer_post(ocop["communes"]["ea_wer"])).status_code == 302
    assert client.post(url, producer_post(ocop["other_commune"], name="Khác tỉnh")).status_code == 404
    assert Producer.objects.filter(name="Hợp tác xã Nông nghiệp Xanh", commune=ocop["communes"]["ea_wer"]).exists()
    assert not Producer.objects.filter(name="Khác tỉnh").exists()


def test_producers_cannot_register_producers(client, ocop):
    client.force_login(ocop["account_a"])
    response = client.post(reverse("ocop_products:producer_create"), producer_post(ocop["communes"]["hoa_thuan"]))
    assert response.status_code == 404


def test_a_duplicate_registration_number_in_a_commune_is_refused_in_vietnamese_with_the_input_kept(client, ocop):
    client.force_login(ocop["officers"]["hoa_thuan"])
    taken = ocop["producer_a"].registration_number

    response = client.post(
        reverse("ocop_products:producer_create"),
        producer_post(ocop["communes"]["hoa_thuan"], registration_number=taken, name="Hợp tác xã Trùng Số"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert f"Số đăng ký kinh doanh “{taken}” đã có ở Xã Hòa Thuận" in html
    assert 'value="Hợp tác xã Trùng Số"' in html and 'value="0905111222"' in html
    assert not Producer.objects.filter(name="Hợp tác xã Trùng Số").exists()
    # The same number in another commune is another producer's business.
    client.force_login(ocop["office"])
    other = client.post(
        reverse("ocop_products:producer_create"),
        producer_post(ocop["communes"]["ea_wer"], registration_number=taken),
    )
    assert other.status_code == 302


def test_producers_are_reached_only_by_those_who_manage_them(client, ocop):
    url = reverse("ocop_products:producer_detail", args=[ocop["producer_a"].pk])
    for user, expected in [
        (ocop["account_a"], 200),
        (ocop["officers"]["hoa_thuan"], 200),
        (ocop["office"], 200),
        (ocop["account_b"], 404),
        (ocop["officers"]["ea_kly"], 404),
        (ocop["other_office"], 404),
        (ocop["reviewer"], 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == expected, user.username
    client.logout()
    assert client.get(url).status_code == 302


def test_a_producer_edits_its_details_but_not_where_it_is_registered(client, ocop):
    client.force_login(ocop["account_a"])
    url = reverse("ocop_products:producer_edit", args=[ocop["producer_a"].pk])
    form = client.get(url)
    assert 'name="commune"' not in form.content.decode()

    data = producer_post(ocop["communes"]["ea_kly"], name="HTX Cà phê Hòa Thuận", registration_number="")
    response = client.post(url, data)

    producer = Producer.objects.get(pk=ocop["producer_a"].pk)
    assert response.status_code == 302
    assert producer.name == "HTX Cà phê Hòa Thuận" and producer.commune == ocop["communes"]["hoa_thuan"]


# --- products ----------------------------------------------------------------------------------------------


def test_a_producer_sees_only_its_own_products(client, ocop):
    client.force_login(ocop["account_a"])

    listed = client.get(reverse("ocop_products:product_list")).content.decode()
    other = client.get(reverse("ocop_products:product_detail", args=[ocop["product_b"].pk]))
    other_edit = client.post(
        reverse("ocop_products:product_edit", args=[ocop["product_b"].pk]),
        {"name": "Đổi tên", "group": group("do-uong").pk},
    )

    assert "Nước mắm cá cơm" in listed and "Cà phê bột" not in listed
    assert other.status_code == 404 and other_edit.status_code == 404
    assert client.get(reverse("ocop_products:product_detail", args=[ocop["product_a"].pk])).status_code == 200
    assert Product.objects.get(pk=ocop["product_b"].pk).name == "Cà phê bột"


def test_a_producer_registers_a_product_of_its_own_only(client, ocop):
    client.force_login(ocop["account_a"])
    url = reverse("ocop_products:product_create")
    data = {"name": "Mắm tôm chua", "group": group("do-uong").pk, "description": "Đặc sản."}

    own = client.post(url, {**data, "producer": ocop["producer_a"].pk})
    other = client.post(url, {**data, "name": "Mắm khác", "producer": ocop["producer_b"].pk})

    product = Product.objects.get(name="Mắm tôm chua")
    assert own.status_code == 302 and product.producer == ocop["producer_a"]
    assert AuditEntry.objects.about(product).get().action == "product_registered"
    assert other.status_code == 400
    assert not Product.objects.filter(name="Mắm khác").exists()


def test_a_group_with_sub_groups_is_refused_in_vietnamese(client, ocop):
    client.force_login(ocop["officers"]["hoa_thuan"])
    data = {"producer": ocop["producer_a"].pk, "name": "Gạo thơm", "description": ""}

    response = client.post(reverse("ocop_products:product_create"), {**data, "group": group("thuc-pham").pk})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Hãy chọn một phân nhóm của nhóm “Thực phẩm”." in html
    assert 'value="Gạo thơm"' in html
    assert not Product.objects.filter(name="Gạo thơm").exists()
    sub_group = group("tp-gao-ngu-coc-so-che")
    assert client.post(reverse("ocop_products:product_create"), {**data, "group": sub_group.pk}).status_code == 302
    assert Product.objects.get(name="Gạo thơm").group == sub_group


def test_the_same_product_name_twice_for_one_producer_is_refused(client, ocop):
    client.force_login(ocop["account_a"])
    response = client.post(
        reverse("ocop_products:product_create"),
        {"producer": ocop["producer_a"].pk, "name": "NƯỚC MẮM CÁ CƠM", "group": group("do-uong").pk},
    )
    assert response.status_code == 400
    assert "Chủ thể này đã có sản phẩm cùng tên." in response.content.decode()


def test_search_without_diacritics_finds_the_product(client, ocop):
    client.force_login(ocop["office"])

    found = client.get(reverse("ocop_products:product_list"), {"q": "nuoc mam"}).content.decode()
    by_group = client.get(reverse("ocop_products:product_list"), {"group": group("thuc-pham").pk}).content.decode()

    assert "Nước mắm cá cơm" in found and "Cà phê bột" not in found
    assert "Nước mắm cá cơm" not in by_group
    _filter, products = selectors.products_listed(
        ocop["office"], {"q": "CA PHE", "commune": ocop["communes"]["ea_kly"].pk}
    )
    assert [p.name for p in products] == ["Cà phê bột"]


def test_the_lists_take_the_same_number_of_queries_for_many_products(client, ocop, django_assert_max_num_queries):
    client.force_login(ocop["office"])
    urls = [reverse("ocop_products:product_list"), reverse("ocop_products:producer_list")]
    client.get(urls[0])  # warm the session

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    for index in range(12):
        producer = ProducerFactory(commune=ocop["communes"]["ea_wer"])
        ProductFactory(producer=producer, name=f"Mật ong {index}", group=group("tp-mat-ong-nong-san-khac"))
    many = counts()

    assert many == few
    with django_assert_max_num_queries(8):
        page = client.get(urls[0], {"q": "mat ong"})
    assert page.content.decode().count('href="/ocop/san-pham/') >= 12


# --- photos ------------------------------------------------------------------------------------------------


def test_product_photos_are_private(client, ocop, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    client.force_login(ocop["account_a"])
    product = ocop["product_a"]

    response = client.post(
        reverse("ocop_products:photo_add", args=[product.pk]), {"file": png(), "caption": "Chai 500 ml"}
    )

    photo = ProductPhoto.objects.get(product=product)
    url = reverse("ocop_products:photo_file", args=[photo.pk])
    assert response.status_code == 302
    assert photo.content_type == "image/png" and photo.caption == "Chai 500 ml"
    own = client.get(url)
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    assert b"".join(own.streaming_content).startswith(b"\x89PNG")
    client.force_login(ocop["account_b"])
    assert client.get(url).status_code == 404
    assert client.post(reverse("ocop_products:photo_remove", args=[photo.pk])).status_code == 404
    client.force_login(ocop["other_office"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    with pytest.raises(NotImplementedError):
        photo.file.url  # noqa: B018 - no public address at all

    client.force_login(ocop["officers"]["hoa_thuan"])
    assert client.post(reverse("ocop_products:photo_remove", args=[photo.pk])).status_code == 302
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_a_file_that_is_not_a_photo_is_refused_in_vietnamese(client, ocop, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    client.force_login(ocop["account_a"])
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "anh.png"

    response = client.post(reverse("ocop_products:photo_add", args=[ocop["product_a"].pk]), {"file": fake})

    assert response.status_code == 400
    assert "chỉ nhận ảnh JPEG, PNG hoặc WebP" in response.content.decode()
    assert not ProductPhoto.objects.exists()


# --- a producer's login ------------------------------------------------------------------------------------


def test_the_commune_officer_gives_a_producer_a_login_that_it_activates_itself(client, ocop):
    client.force_login(ocop["officers"]["hoa_thuan"])
    url = reverse("ocop_products:producer_account_create", args=[ocop["producer_a"].pk])
    mail.outbox.clear()

    response = client.post(url, {"full_name": "Lê Thị Chủ Thể", "email": "chuthe@example.vn", "phone": "0905"})

    account = Membership.objects.get(
        role=Role.PRODUCER, producer=ocop["producer_a"], user__email="chuthe@example.vn"
    ).user
    assert response.status_code == 302
    assert not account.has_usable_password()
    assert Invitation.objects.filter(user=account).usable().exists()
    assert len(mail.outbox) == 1 and "/kich-hoat/" in mail.outbox[0].body

    letter = client.post(url, {"full_name": "Phan Văn Không Thư"})
    assert letter.status_code == 200
    assert "Mã kích hoạt" in letter.content.decode()


def test_only_the_commune_and_the_office_give_producers_logins(client, ocop):
    url = reverse("ocop_products:producer_account_create", args=[ocop["producer_a"].pk])
    client.force_login(ocop["account_a"])
    assert client.post(url, {"full_name": "Tự Tạo"}).status_code == 403
    client.force_login(ocop["officers"]["ea_kly"])
    assert client.post(url, {"full_name": "Xã Khác"}).status_code == 404
    client.force_login(ocop["other_office"])
    assert client.post(url, {"full_name": "Tỉnh Khác"}).status_code == 404
    assert (
        not Membership.objects.filter(role=Role.PRODUCER, producer=ocop["producer_a"])
        .exclude(user=ocop["account_a"])
        .exists()
    )


# --- history -----------------------------------------------------------------------------------------------


def test_a_product_shows_its_ocop_history(client, ocop):
    round_ = product_round(ocop["province"], ocop_version(), office=ocop["office"])
    [submission] = dossiers(round_, [ocop["product_a"]], status=SubmissionStatus.RECOGNITION)
    submission.stars = 4
    submission.save(update_fields=["stars"])

    history = selectors.product_history(ocop["product_a"])
    client.force_login(ocop["account_a"])
    html = client.get(reverse("ocop_products:product_detail", args=[ocop["product_a"].pk])).content.decode()

    assert [(row.round_name, row.stars, row.status) for row in history] == [(round_.name, 4, "recognition")]
    assert round_.name in html and "4 sao" in html and "Chờ công nhận" in html
