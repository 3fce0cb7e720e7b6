"""OCOP end to end over HTTP only (issue 16's bar 3).

After the set-up (the small province of ``tests/conftest.py`` with its public pages, the illustrative OCOP set
published, an open product round and a province council of three), every step is a request of a real login of a
non-superuser, or of an anonymous visitor: Hòa Thuận's commune officer registers a producer of the commune and gives
it a login; the producer activates it from the e-mail's link, logs in, registers a product, starts its dossier in
the open round, fills the self-assessment, uploads an evidence file, saves a draft and submits; the office assigns
the dossier to the council; the three members score blind (the first one reads their sheet, the council page and
the sheet API before submitting and finds none of the others' points, then sees them once theirs is in); the chair
closes; the office recognises the product with a decision and publishes it; an anonymous visitor finds it in the
catalogue and on its page (name, stars, producer, commune, validity), in ``/api/v1/ocop/products/`` and through the
certificate's QR; the certificate prints with its QR code; ``send_reminders`` on ``valid_until − reminder_days``
reminds the producer and the office once, and a second run reminds nobody.
"""

import datetime
import re
from io import StringIO

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from cms.directory.models import Role
from cms.outbox.models import Notice, NoticeKind
from criteria_pages.spec import ScoringRule
from submissions.models import Submission, SubmissionStatus
from tests.factories import PASSWORD
from tests.submissions.factories import PDF
from tests.submissions.ocop.councils_world import named
from tests.submissions.ocop.factories import council_with, group, ocop_version, product_round

PRODUCER_NAME = "Hợp tác xã Cà phê Xanh Hòa Thuận"
PRODUCT_NAME = "Cà phê hạt rang xay Xanh"
#: The producer's contact: kept for the office, never public.
PHONE, EMAIL, REPRESENTATIVE, ADDRESS = "0905 111 222", "lienhe@caphexanh.example.vn", "Y Bih Niê", "Thôn 7 Buôn Kô"
ACCOUNT_EMAIL = "chuthe@caphexanh.example.vn"
NEW_PASSWORD = "Cà-phê-Xanh-2026!"
EVIDENCE_NAME = "giay-chung-nhan-vsattp-XANH.pdf"
DECISION_NUMBER = "215/QĐ-UBND"
#: Each member's points of parts A (≤ 40), B (≤ 25), C (≤ 35) as typed, and their totals as a page writes them.
SHEETS = {
    "chair": ({"A": "32", "B": "21", "C": "28"}, "81,00"),
    "first": ({"A": "30,5", "B": "19,25", "C": "26"}, "75,75"),
    "second": ({"A": "31,25", "B": "20,5", "C": "27,5"}, "79,25"),
}
#: (75.75 + 79.25 + 81) / 3 = 78.666… → 78.67 (half up, two decimals): 4 stars.
COUNCIL_SCORE = "78,67"


@pytest.fixture
def world(site):
    """The OCOP set (parts A/B/C, the 2019 bands), a round open for the province's producers, and a province council
    of three: the chair, a first and a second member (named, as the people import writes them)."""
    version = ocop_version()
    round_ = product_round(site["province"], version, office=site["office"], name="Đánh giá sản phẩm OCOP năm 2026")
    people = {
        key: named(Role.COUNCIL_MEMBER, unit=site["province"], username=username, full_name=full_name)
        for key, username, full_name in (
            ("chair", "hd_chu_tich", "Trần Văn Chủ Tịch"),
            ("first", "hd_uy_vien_1", "Lê Thị Ủy Viên"),
            ("second", "hd_uy_vien_2", "Phạm Minh Giám Khảo"),
        )
    }
    council = council_with(
        round_,
        province=site["province"],
        users=[people["chair"], people["first"], people["second"]],
        name="Hội đồng đánh giá sản phẩm OCOP tỉnh Đắk Lắk",
    )
    return {**site, "round": round_, "council": council, "people": people}


# --- helpers --------------------------------------------------------------------------------------------------


def logged_in(username: str, password: str = PASSWORD) -> Client:
    """A browser of its own, logged in through the login page."""
    browser = Client()
    response = browser.post("/dang-nhap/", {"username": username, "password": password})
    assert response.status_code == 302, response.text[:2000]
    return browser


def ok(response, expected: int = 302):
    if response.status_code != expected:
        detail = "" if getattr(response, "streaming", False) else response.content.decode()[:3000]
        raise AssertionError(f"{response.status_code} != {expected}: {detail}")
    return response


def said(response) -> str:
    """The messages of a followed redirect, in one line."""
    return " ".join(str(message) for message in response.context["messages"])


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def pk_in(url: str, pattern: str) -> int:
    found = re.fullmatch(pattern, url)
    assert found, url
    return int(found.group(1))


def sheet_url(browser: Client, product: str) -> str:
    """The address of the member's own sheet of ``product``, as "Phiếu chấm của tôi" links it."""
    listing = ok(browser.get("/ocop/hoi-dong/phieu-cham/"), 200).text
    assert product in listing
    links = set(re.findall(r'href="(/ocop/hoi-dong/phieu-cham/\d+/)"', listing))
    assert len(links) == 1, links
    return links.pop()


def lock_of(page) -> str:
    return re.search(r'name="lock_version" value="(\d+)"', page.text).group(1)


def status_of(pk: int) -> str:
    return Submission.objects.values_list("status", flat=True).get(pk=pk)


def years_later(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years)


def never_private(text: str) -> None:
    """Nothing of the producer's contact, of the council's points or of the evidence reaches the public."""
    secrets = [PHONE, EMAIL, REPRESENTATIVE, ADDRESS, ACCOUNT_EMAIL, EVIDENCE_NAME, COUNCIL_SCORE, "78.67"]
    secrets += [total for _raws, total in SHEETS.values()] + [total.replace(",", ".") for _r, total in SHEETS.values()]
    secrets += ["Trần Văn Chủ Tịch", "Lê Thị Ủy Viên", "Phạm Minh Giám Khảo", "Hội đồng đánh giá sản phẩm OCOP"]
    for secret in secrets:
        assert secret not in text, secret


# --- the road of a product ------------------------------------------------------------------------------------


def test_a_product_from_registration_to_the_public_catalogue_over_http(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    round_, council = world["round"], world["council"]
    hoa_thuan = world["communes"]["hoa_thuan"]
    officer = logged_in(world["officers"]["hoa_thuan"].username)
    office = logged_in(world["office"].username)
    visitor = Client()

    # 1. The commune officer registers a producer of the commune.
    blank = ok(officer.get("/ocop/chu-the/them/"), 200).text
    assert "Tên chủ thể" in blank and "Số đăng ký kinh doanh" in blank and "Xã Hòa Thuận" in blank
    registered = ok(
        officer.post(
            "/ocop/chu-the/them/",
            {
                "commune": hoa_thuan.pk,
                "name": PRODUCER_NAME,
                "kind": "cooperative",
                "registration_number": "6000123456",
                "address": ADDRESS,
                "representative": REPRESENTATIVE,
                "phone": PHONE,
                "email": EMAIL,
            },
        )
    )
    producer_pk = pk_in(registered.url, r"/ocop/chu-the/(\d+)/")
    page = ok(officer.get(registered.url), 200)
    assert f"Đã đăng ký chủ thể “{PRODUCER_NAME}”." in said(page)
    assert PRODUCER_NAME in page.text and "Hợp tác xã" in page.text

    # ... and gives it a login: the person gets the activation link by e-mail.
    mail.outbox.clear()
    created = ok(
        officer.post(
            f"/ocop/chu-the/{producer_pk}/tai-khoan/",
            {"full_name": "Y Bih Niê", "email": ACCOUNT_EMAIL, "phone": "0905 333 444", "username": "htx_caphexanh"},
        )
    )
    assert "Đã tạo tài khoản htx_caphexanh và gửi đường dẫn kích hoạt" in said(ok(officer.get(created.url), 200))
    (invitation,) = [message for message in mail.outbox if message.to == [ACCOUNT_EMAIL]]
    link = re.search(r"https?://[^/\s]+(/kich-hoat/[^/\s]+/[^/\s]+/)", invitation.body).group(1)

    # 2. The producer activates the login (its own password), then logs in.
    activation = Client()
    assert "Mật khẩu mới" in ok(activation.get(link), 200).text
    activated = ok(
        activation.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "accept_notice": "on"})
    )
    assert "Tài khoản của bạn đã được kích hoạt." in said(ok(activation.get(activated.url), 200))
    producer = logged_in("htx_caphexanh", NEW_PASSWORD)

    # 3. The producer registers a product.
    form = ok(producer.get("/ocop/san-pham/them/"), 200).text
    assert "Tên sản phẩm" in form and "Nhóm sản phẩm" in form and PRODUCER_NAME in form
    added = ok(
        producer.post(
            "/ocop/san-pham/them/",
            {
                "producer": producer_pk,
                "name": PRODUCT_NAME,
                "group": group("do-uong").pk,
                "description": "Cà phê Robusta trồng xen sầu riêng, rang mộc.",
            },
        )
    )
    product_pk = pk_in(added.url, r"/ocop/san-pham/(\d+)/")
    page = ok(producer.get(added.url), 200)
    assert f"Đã đăng ký sản phẩm “{PRODUCT_NAME}”." in said(page) and "Đồ uống" in page.text

    # 4. It starts the dossier in the open round and fills the self-assessment with an evidence file.
    dossiers = ok(producer.get("/ocop/ho-so/"), 200).text
    assert PRODUCT_NAME in dossiers and round_.name in dossiers and "Nộp hồ sơ" in dossiers
    started = ok(producer.post("/ocop/ho-so/bat-dau/", {"san_pham": product_pk, "dot": round_.pk}))
    submission_pk = pk_in(started.url, r"/danh-gia/ho-so/(\d+)/muc-luc/")
    contents = ok(producer.get(started.url), 200)
    assert f"Đã lập hồ sơ cho sản phẩm “{PRODUCT_NAME}”." in said(contents)
    assert f"{PRODUCT_NAME} – {PRODUCER_NAME}" in contents.text
    form = ok(producer.get(f"/danh-gia/ho-so/{submission_pk}/"), 200)
    assert 'name="v_A"' in form.text and "Lưu nháp" in form.text
    saved = ok(
        producer.post(
            f"/danh-gia/ho-so/{submission_pk}/",
            {
                "lock_version": form.context["form"]["lock_version"].value(),
                "save": "1",
                "v_A": "33,5",
                "v_B": "20",
                "v_C": "29",
                "e_A": pdf(EVIDENCE_NAME),
            },
        )
    )
    draft = ok(producer.get(saved.url), 200)
    assert "Đã lưu nháp." in said(draft)
    assert EVIDENCE_NAME in ok(producer.get(f"/danh-gia/ho-so/{submission_pk}/"), 200).text
    assert status_of(submission_pk) == SubmissionStatus.DRAFT

    # ... and submits it (the check page, then "Nộp hồ sơ").
    check = ok(producer.get(f"/danh-gia/ho-so/{submission_pk}/kiem-tra/"), 200)
    assert "Kiểm tra trước khi nộp" in check.text and "33,5 điểm" in check.text and EVIDENCE_NAME in check.text
    submitted = ok(producer.post(f"/danh-gia/ho-so/{submission_pk}/kiem-tra/", {"lock_version": lock_of(check)}))
    assert "Đã nộp hồ sơ." in said(ok(producer.get(submitted.url), 200))
    assert status_of(submission_pk) == SubmissionStatus.SUBMITTED
    assert "Đã nộp" in ok(producer.get("/ocop/ho-so/"), 200).text

    # 5. The office assigns it to the council.
    detail = ok(office.get(f"/ocop/hoi-dong/{council.pk}/"), 200).text
    assert "Giao hồ sơ cho hội đồng" in detail and "Trần Văn Chủ Tịch" in detail and "Chủ tịch hội đồng" in detail
    assign = ok(office.get(f"/ocop/hoi-dong/{council.pk}/giao-ho-so/"), 200).text
    assert f"{PRODUCT_NAME} – {PRODUCER_NAME}" in assign and "Hồ sơ đã nộp, chưa thuộc hội đồng nào" in assign
    assigned = ok(office.post(f"/ocop/hoi-dong/{council.pk}/giao-ho-so/", {"submissions": [submission_pk]}))
    assert "Đã giao 1 hồ sơ cho hội đồng." in said(ok(office.get(assigned.url), 200))
    assert status_of(submission_pk) == SubmissionStatus.SCORING

    # 6. The members score blind. The chair and the second member score and submit first.
    members = {key: logged_in(user.username) for key, user in world["people"].items()}
    urls = {key: sheet_url(browser, PRODUCT_NAME) for key, browser in members.items()}
    for key in ("chair", "second"):
        browser, url = members[key], urls[key]
        raws, total = SHEETS[key]
        blank = ok(browser.get(url), 200)
        assert "Chưa nộp" in blank.text and "Từ 0 đến 40 điểm" in blank.text
        stored = ok(browser.post(url, {"lock_version": lock_of(blank), **{f"s_{k}": v for k, v in raws.items()}}))
        shown = ok(browser.get(stored.url), 200)
        assert "Đã lưu phiếu chấm (chưa nộp)." in said(shown) and f"Tổng điểm của bạn: {total}" in shown.text
        handed = ok(browser.post(f"{url}nop/", {"lock_version": lock_of(shown)}))
        assert "Đã nộp phiếu chấm." in said(ok(browser.get(handed.url), 200))

    # The first member opens their sheet, the council page and the sheet's API: none of the others' points.
    first, first_url = members["first"], urls["first"]
    sheet_pk = pk_in(first_url, r"/ocop/hoi-dong/phieu-cham/(\d+)/")
    others = ("81,00", "79,25", "31,25", "27,50", "27,5", "81.00", "79.25", "31.25", "27.5")
    blind = ok(first.get(first_url), 200).text
    assert "Phiếu của các thành viên khác chỉ hiện sau khi bạn nộp phiếu của mình." in blind
    council_page = ok(first.get(f"/ocop/hoi-dong/{council.pk}/"), 200).text
    assert "Đã nộp 2/3 phiếu" in council_page
    api = ok(first.get(f"/api/v1/ocop/sheets/{sheet_pk}/"), 200)
    assert api.json()["others"] == []
    for text in (blind, council_page, api.content.decode()):
        for points in others:
            assert points not in text, points

    # ... scores (saving a draft first) and submits; then the others' sheets appear.
    raws, total = SHEETS["first"]
    draft = ok(first.post(first_url, {"lock_version": lock_of(ok(first.get(first_url), 200)), "s_A": raws["A"]}))
    partial = ok(first.get(draft.url), 200)
    assert "Tổng điểm của bạn: 30,50" in partial.text and "81,00" not in partial.text
    stored = ok(first.post(first_url, {"lock_version": lock_of(partial), **{f"s_{k}": v for k, v in raws.items()}}))
    handed = ok(first.post(f"{first_url}nop/", {"lock_version": lock_of(ok(first.get(stored.url), 200))}))
    after = ok(first.get(handed.url), 200)
    assert "Đã nộp phiếu chấm. Bạn đã xem được phiếu của các thành viên khác." in said(after)
    assert "Trần Văn Chủ Tịch (Chủ tịch hội đồng): 81,00" in after.text
    assert "Phạm Minh Giám Khảo: 79,25" in after.text and "31,25" in after.text
    assert {other["total"] for other in ok(first.get(f"/api/v1/ocop/sheets/{sheet_pk}/"), 200).json()["others"]} == {
        81,
        79.25,
    }

    # 7. The chair closes the scoring: the council's score and its stars.
    chair = members["chair"]
    preview = ok(chair.get(f"/ocop/hoi-dong/{council.pk}/ket-thuc/"), 200).text
    assert "Kết quả sẽ ghi nhận" in preview and COUNCIL_SCORE in preview
    assert "Không có sản phẩm nào cần thảo luận." in preview  # spread 5,25 under the gap of 10
    closed = ok(chair.post(f"/ocop/hoi-dong/{council.pk}/ket-thuc/"))
    results = ok(chair.get(closed.url), 200)
    assert "Đã kết thúc chấm điểm. Kết quả đã chuyển Văn phòng Điều phối để công nhận." in said(results)
    assert "Kết quả chấm điểm (xếp theo điểm)" in results.text and "4 sao" in results.text
    assert status_of(submission_pk) == SubmissionStatus.RECOGNITION

    # 8. The office recognises it with one decision, then publishes it.
    screen = ok(office.get(f"/ocop/cong-nhan/{round_.pk}/"), 200).text
    assert "Sản phẩm chờ công nhận" in screen and PRODUCT_NAME in screen and COUNCIL_SCORE in screen
    decided_on = today.replace(day=min(today.day, 28))
    with django_capture_on_commit_callbacks(execute=True):
        recognised = ok(
            office.post(
                f"/ocop/cong-nhan/{round_.pk}/quyet-dinh/",
                {"submission": [submission_pk], "number": DECISION_NUMBER, "date": dmy(decided_on)},
            )
        )
    screen = ok(office.get(recognised.url), 200)
    assert (
        f"Đã công nhận 1 sản phẩm theo quyết định số {DECISION_NUMBER} ngày {dmy(decided_on)}; "
        "đã cấp giấy chứng nhận." in said(screen)
    )
    valid_until = years_later(decided_on, 3) - datetime.timedelta(days=1)  # 36 months, the rule's default
    assert f"{dmy(decided_on)} – {dmy(valid_until)}" in screen.text
    assert status_of(submission_pk) == SubmissionStatus.RECOGNISED
    print_url = re.search(r'href="(/ocop/chung-nhan/[0-9a-f-]{36}/in/)"', screen.text).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        published = ok(office.post(f"/ocop/cong-nhan/{round_.pk}/cong-khai/", {"submission": [submission_pk]}))
    assert "Đã công khai 1 sản phẩm." in said(ok(office.get(published.url), 200))
    history = ok(producer.get(f"/ocop/san-pham/{product_pk}/"), 200).text  # the product's OCOP history
    assert f"{round_.name}</strong>" in history and "4 sao" in history
    assert f"Quyết định {DECISION_NUMBER} · hiệu lực từ {dmy(decided_on)} đến {dmy(valid_until)}" in history

    # 9. Anyone finds it in the catalogue and on its page: name, stars, producer, commune, validity.
    catalogue = ok(visitor.get("/san-pham/"), 200).text
    assert PRODUCT_NAME in catalogue and "★★★★" in catalogue and "4 sao" in catalogue
    assert PRODUCER_NAME in catalogue and "Xã Hòa Thuận" in catalogue and "1 sản phẩm" in catalogue
    never_private(catalogue)
    assert PRODUCT_NAME in ok(visitor.get("/san-pham/", {"q": "ca phe xanh", "sao": "4"}), 200).text
    page_url = re.search(r'href="(/san-pham/[^"/]+/)"', catalogue).group(1)
    product_page = ok(visitor.get(page_url), 200).text
    assert PRODUCT_NAME in product_page and '<span class="visually-hidden">4 sao</span>' in product_page
    assert f"{PRODUCER_NAME} <span" in product_page and "(Hợp tác xã)" in product_page
    assert "Xã Hòa Thuận" in product_page and "Đồ uống" in product_page
    assert f"Còn hiệu lực đến {dmy(valid_until)}" in product_page
    assert f"Số {DECISION_NUMBER} ngày {dmy(decided_on)}" in product_page
    never_private(product_page)

    # ... and in the API.
    listing = ok(visitor.get("/api/v1/ocop/products/"), 200)
    assert listing.json()["count"] == 1
    (row,) = listing.json()["results"]
    assert (row["id"], row["name"], row["stars"]) == (product_pk, PRODUCT_NAME, 4)
    assert (row["producer"]["name"], row["commune"]["name"], row["group"]["code"]) == (
        PRODUCER_NAME,
        "Xã Hòa Thuận",
        "do-uong",
    )
    assert (row["valid_from"], row["valid_until"]) == (decided_on.isoformat(), valid_until.isoformat())
    assert "score" not in row and "council" not in row
    never_private(listing.content.decode())
    assert ok(visitor.get(f"/api/v1/ocop/products/{product_pk}/"), 200).json()["name"] == PRODUCT_NAME

    # 10. The certificate prints with its QR code, which opens the product's page for anyone.
    for reader in (office, producer):
        printed = ok(reader.get(print_url), 200).text
        assert "GIẤY CHỨNG NHẬN" in printed and "Hạng 4 sao" in printed and PRODUCT_NAME in printed
        assert "<svg" in printed and "Quét mã để kiểm tra giấy chứng nhận:" in printed
        assert f"Từ {dmy(decided_on)} đến {dmy(valid_until)}" in printed
    check_url = print_url.removesuffix("in/")
    assert check_url in printed
    assert ok(visitor.get(check_url), 302)["Location"] == page_url
    assert visitor.get(print_url).status_code == 302  # printing needs a login

    # 11. The reminder before the certificate ends: the producer and the office, once.
    reminder_day = valid_until - datetime.timedelta(days=ScoringRule().reminder_days)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", date=(reminder_day - datetime.timedelta(days=1)).isoformat(), stdout=out)
    assert "0 OCOP certificate(s) about to end" in out.getvalue()
    call_command("send_reminders", date=reminder_day.isoformat(), stdout=out)
    reminders = [message for message in mail.outbox if "[OCOP]" in message.subject]
    assert sorted(message.to[0] for message in reminders) == sorted([ACCOUNT_EMAIL, world["office"].email])
    for message in reminders:
        assert message.subject == "[OCOP] Giấy chứng nhận sản phẩm OCOP sắp hết hiệu lực"
        assert f"“{PRODUCT_NAME}” ({PRODUCER_NAME}, Xã Hòa Thuận)" in message.body
        assert f"hết hiệu lực ngày {dmy(valid_until)} (còn 90 ngày)" in message.body
        assert print_url in message.body
    notices = Notice.objects.filter(kind=NoticeKind.REMINDER, subject__startswith="[OCOP] Giấy chứng nhận")
    assert notices.count() == 2
    call_command("send_reminders", date=reminder_day.isoformat(), stdout=out)
    call_command("send_reminders", date=(reminder_day + datetime.timedelta(days=7)).isoformat(), stdout=out)
    assert len([message for message in mail.outbox if "[OCOP]" in message.subject]) == 2
    assert notices.count() == 2
