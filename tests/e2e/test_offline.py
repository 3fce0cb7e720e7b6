"""The commune's form without a connection (issue 14), in Chromium with its service worker: values and a file
changed offline survive a reload offline without a single request reaching the server, and reach the server when
the connection comes back; a value changed on the server meanwhile is chosen value by value; a closed round keeps
the values on screen to download; logging out with unsent values warns, and afterwards nothing stays on the phone;
axe finds no serious or critical violation in the offline states, at 360 and 1280 px.

``context.set_offline`` does not stop a service worker's own requests, so the server's side is checked: every
request the live server receives is logged (Django's ``request_started`` signal)."""

import threading

from django.core.signals import request_started

import pytest
from playwright.sync_api import expect

from criteria_pages.vocabulary import FORM_YES
from submissions.entry import services as submission_services
from submissions.models import Evidence, IndicatorValue
from submissions.rounds import services as round_services
from tests.e2e.conftest import DESKTOP, PDF, PHONE, login
from tests.e2e.test_public_site import AXE_BLOCKING, axe_violations

pytestmark = pytest.mark.e2e

SAVED = "Đã lưu trên điện thoại này"
SENT = "Đã gửi"
#: What this site keeps in the browser: IndexedDB databases, the service worker's caches, service workers.
STORED = """async () => ({
    databases: (await indexedDB.databases()).map((db) => db.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


#: Chromium itself re-fetches a service worker's script on a navigation inside its scope, to see whether a newer
#: one exists (the "soft update"; neither the page nor the worker asks for it, and it carries nothing of the form).
#: Whether it happens within the test depends on timing, so it is not counted as a request of the page.
BROWSER_UPDATE_CHECK = "GET /danh-gia/sw.js"


class ServerLog:
    """Every request the live server receives from the page or its service worker, as "METHOD /path"."""

    def __init__(self):
        self.requests: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, sender, environ, **kwargs):
        request = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        if request == BROWSER_UPDATE_CHECK:
            return
        with self.lock:
            self.requests.append(request)

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()


@pytest.fixture
def server_log(server):
    log = ServerLog()
    request_started.connect(log, weak=False)
    yield log
    request_started.disconnect(log)


def raws(submission) -> dict[str, str]:
    return dict(IndicatorValue.objects.filter(submission=submission).values_list("code", "raw"))


def open_form(new_context, world, viewport=PHONE):
    context = new_context(viewport)
    page = context.new_page()
    submission = world["submissions"]["hoa_thuan"]
    url = f"/danh-gia/ho-so/{submission.pk}/"
    login(page, world["url"], world["users"]["officer"].username, url)
    page.wait_for_selector("html[data-offline-kept]")  # the service worker keeps the form's pages now
    return context, page, submission


def go_offline(context, page) -> None:
    context.set_offline(True)
    page.wait_for_selector("html[data-offline=offline]")  # the service worker knows: no request leaves


def test_values_and_a_file_changed_offline_survive_a_reload_and_reach_the_server(new_context, world, server_log):
    context, page, submission = open_form(new_context, world)
    page.fill("#id_v_2_1", "80")
    page.locator(".form-actions button[name=save]").click()
    page.wait_for_selector("text=Đã lưu nháp.")
    page.wait_for_selector("html[data-offline-kept]")
    assert raws(submission)["2.1"] == "80"
    assert page.evaluate("window.ntmStore.all('values')") == []  # saved online: nothing left on the phone

    go_offline(context, page)
    server_log.clear()
    page.fill("#id_v_2_2", "7")
    page.fill("#id_v_10_1", "50")
    page.check(f"input[name=v_1_1][value={FORM_YES}]")
    page.set_input_files("#id_e_1_1", files=[{"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator(".form-actions button[name=save]").click()  # offline: kept on the phone, not posted
    assert page.locator(".offline-mark", has_text=SAVED).count() >= 3
    page.wait_for_selector(f"#offline-status:has-text('{SAVED}')")

    page.reload()
    expect(page.locator("#id_v_2_2")).to_have_value("7")
    expect(page.locator("#id_v_10_1")).to_have_value("50")
    expect(page.locator(f"input[name=v_1_1][value={FORM_YES}]")).to_be_checked()
    assert page.input_value("#id_v_2_1") == "80"
    page.wait_for_selector(".offline-files >> text=quyet-dinh.pdf")
    assert page.locator(".offline-mark", has_text=SAVED).count() >= 3
    assert page.locator("#offline-status").inner_text().startswith(SAVED)
    assert page.locator("#offline-status").bounding_box()["y"] < page.locator("#evaluation-form").bounding_box()["y"]
    assert not page.get_by_text("Đã lưu nháp.").is_visible()  # the copy's old message is not shown as news
    # The other pages of the form open offline too (contents, a step), with the values kept on the phone.
    page.goto(f"{world['url']}/danh-gia/ho-so/{submission.pk}/muc-luc/")
    page.get_by_role("link", name="Giao thông").first.click()
    expect(page.locator("#id_v_2_2")).to_have_value("7")
    expect(page.locator("#id_v_2_1")).to_have_value("80")
    page.go_back()
    page.go_forward()
    page.goto(f"{world['url']}/danh-gia/ho-so/{submission.pk}/")
    page.wait_for_timeout(500)
    assert server_log.requests == [], server_log.requests  # nothing reached the server while offline
    assert "2.2" not in raws(submission) or raws(submission)["2.2"] == ""

    context.set_offline(False)
    page.wait_for_selector(f"#offline-status:has-text('{SENT}')")
    values = raws(submission)
    assert (values["2.1"], values["2.2"], values["10.1"], values["1.1"]) == ("80", "7", "50", FORM_YES)
    assert Evidence.objects.filter(submission=submission, indicator_code="1.1", original_name="quyet-dinh.pdf").exists()
    expect(page.locator("#id_v_2_2")).to_have_value("7")  # the page now shows the server's copy
    assert page.locator(".offline-mark", has_text=SENT).count() >= 3


def test_a_conflicting_change_on_the_server_is_resolved_value_by_value(new_context, world):
    officer = world["users"]["officer"]
    submission = world["submissions"]["hoa_thuan"]
    submission_services.submission_save(submission=submission, raws={"2.1": "80", "2.2": "5"}, user=officer)
    context, page, submission = open_form(new_context, world)
    go_offline(context, page)
    page.fill("#id_v_2_1", "90")
    page.fill("#id_v_2_2", "8")
    page.fill("#id_v_10_1", "40")
    page.wait_for_selector(f"#offline-status:has-text('{SAVED}')")
    # Meanwhile someone changes 2.1 and 2.2 on the server (another device, the same officer).
    submission.refresh_from_db()
    submission_services.submission_save(submission=submission, raws={"2.1": "85", "2.2": "9"}, user=officer)

    context.set_offline(False)
    conflicts = page.get_by_role("heading", name="Giá trị đã thay đổi trên máy chủ")
    conflicts.wait_for()
    assert raws(submission)["10.1"] == "40"  # no conflict there: sent at once
    first = page.get_by_role("group", name="2.1", exact=False).first
    assert "Trên máy chủ" in first.inner_text() and "85" in first.inner_text()
    assert "Trên điện thoại này" in first.inner_text() and "90" in first.inner_text()
    page.get_by_role("group", name="2.2", exact=False).first.get_by_label("Trên máy chủ").check()
    assert axe_blocking(page) == []
    page.get_by_role("button", name="Gửi các giá trị đã chọn").click()
    page.wait_for_selector(f"#offline-status:has-text('{SENT}')")
    values = raws(submission)
    assert (values["2.1"], values["2.2"], values["10.1"]) == ("90", "9", "40")
    expect(page.locator("#id_v_2_2")).to_have_value("9")


def axe_blocking(page) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in axe_violations(page) if v["impact"] in AXE_BLOCKING]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_axe_in_the_offline_states(new_context, world, viewport):
    context, page, _submission = open_form(new_context, world, viewport)
    go_offline(context, page)
    page.fill("#id_v_2_1", "70")
    page.set_input_files("#id_e_1_1", files=[{"name": "anh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.wait_for_selector(".offline-files >> text=anh.pdf")
    assert axe_blocking(page) == []
    page.reload()
    page.wait_for_selector(".offline-mark")
    assert axe_blocking(page) == []
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("dialog").wait_for()
    assert axe_blocking(page) == []


def test_closed_round_keeps_values_and_logout_warns_then_clears_the_phone(new_context, world):
    context, page, submission = open_form(new_context, world)
    go_offline(context, page)
    page.fill("#id_v_2_1", "66")
    page.wait_for_selector(f"#offline-status:has-text('{SAVED}')")
    round_services.round_close(round_=world["round"], user=world["users"]["office"])

    context.set_offline(False)
    page.wait_for_selector("text=Đợt đánh giá đã đóng")
    unsent = page.locator(".offline-unsent")
    assert "66" in unsent.inner_text()
    assert axe_blocking(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải về (.txt)").click()
    assert "66" in open(download.value.path(), encoding="utf-8").read()
    assert raws(submission).get("2.1", "") == ""

    page.get_by_role("button", name="Đăng xuất").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "chưa gửi" in dialog.inner_text()
    assert dialog.get_by_role("button", name="Gửi trước").is_visible()
    dialog.get_by_role("button", name="Vẫn đăng xuất").click()
    page.wait_for_url(f"{world['url']}/")
    assert page.evaluate(STORED) == {"databases": [], "caches": [], "workers": 0}
    page.goto(f"{world['url']}/danh-gia/ho-so/{submission.pk}/")
    assert "/dang-nhap/" in page.url  # logged out: the form is not served from anywhere


def test_logout_without_the_script_still_clears_the_phone(new_context, world):
    """Logging out where offline-logout.js did not run (the form posted as is, from the list page): the server's
    Clear-Site-Data alone empties the phone in Chromium."""
    _context, page, _submission = open_form(new_context, world)
    page.goto(f"{world['url']}/danh-gia/")
    before = page.evaluate(STORED)
    assert before["databases"] == ["ntm-offline"] and before["caches"] and before["workers"] == 1
    page.locator("form[action='/dang-xuat/']").evaluate("form => form.submit()")  # no submit event: no script
    page.wait_for_url(f"{world['url']}/")
    assert page.evaluate(STORED) == {"databases": [], "caches": [], "workers": 0}


def test_logout_from_the_list_page_warns_about_unsent_values(new_context, world):
    """The list of forms carries the same account links: logging out there with values kept on the phone and not
    sent (the round closed meanwhile) warns too, and offers to send them first."""
    context, page, _submission = open_form(new_context, world)
    go_offline(context, page)
    page.fill("#id_v_2_1", "67")
    page.wait_for_selector(f"#offline-status:has-text('{SAVED}')")
    round_services.round_close(round_=world["round"], user=world["users"]["office"])
    context.set_offline(False)
    page.wait_for_selector("text=Đợt đánh giá đã đóng")

    page.goto(f"{world['url']}/danh-gia/")
    page.get_by_role("button", name="Đăng xuất").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "chưa gửi" in dialog.inner_text()
    assert dialog.get_by_role("button", name="Gửi trước").is_visible()
    dialog.get_by_role("button", name="Ở lại").click()
    assert "/danh-gia/" in page.url  # still signed in, the values still on the phone
    assert page.evaluate(STORED)["databases"] == ["ntm-offline"]
