"""Several machines, one product (issue 17): two app servers and one worker share PostgreSQL, Redis and the
S3-compatible storage, so a person may land on either server at every request and nothing is lost when the worker
dies. See conftest.py for the install."""

import re
import secrets
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.multinode import cluster
from tests.multinode.browser import Browser, form_with, links, table_rows
from tests.multinode.mail import SENDING

pytestmark = pytest.mark.multinode

#: A page of the public site served from the cache says so in this header (public_site.cache).
CACHE_HEADER = "X-Public-Cache"
NO_RESULT = "Chưa có kết quả đánh giá nào của xã được công nhận và công bố."
EVIDENCE = r"/danh-gia/minh-chung/\d+/"
#: Seconds to wait for a notice after the worker was started again: its start, then one slow delivery.
DELIVERY_SECONDS = 60
NOTICE_SUBJECT = "Hồ sơ mới chờ huyện thẩm tra"
#: The office's list of notices (cms.outbox): status, recipient, subject, kind, attempts, …
NOTICES = "/admin/thu-thong-bao/"
SENT = "Đã gửi"


def form_path(install, commune: str) -> str:
    return f"/danh-gia/ho-so/{install.data['drafts'][commune]}/"


def log_in_officer(browser: Browser, install, server: str, commune: str) -> None:
    browser.log_in(server, install.data["officers"][commune], install.data["password"])


def pdf(token: str) -> bytes:
    """A small PDF, different at every run (so the bucket holds exactly these bytes or not)."""
    return f"%PDF-1.4\n% {token}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def test_a_draft_saved_through_one_server_is_read_through_the_other(install, browser):
    path = form_path(install, "hoa_thuan")
    log_in_officer(browser, install, install.a, "hoa_thuan")
    form = form_with(browser.get(install.a, path).text, "lock_version")

    saved = browser.post(install.a, path, form.data(v_2_1="87", n_2_1="Số liệu tháng 10", save="1"))

    assert saved.status_code == 200, saved.text[:2000]
    assert "Đã lưu nháp." in saved.text
    # the same session cookie opens the form on B (the servers share sessions), with the draft saved on A
    on_b = browser.get(install.b, path)
    assert on_b.status_code == 200 and on_b.url.endswith(path), on_b.text[:2000]
    shown = form_with(on_b.text, "lock_version")
    assert shown.value("v_2_1") == "87"
    assert shown.value("n_2_1") == "Số liệu tháng 10"
    assert shown.value("lock_version") == str(int(form.value("lock_version")) + 1)


def test_a_publish_through_one_server_refreshes_the_page_cached_by_the_other(install, browser):
    page = install.data["pages"]["ea_wer"]
    visitor = Browser()
    first = visitor.get(install.a, page)
    assert first.status_code == 200 and NO_RESULT in first.text
    cached = visitor.get(install.b, page)
    assert cached.headers.get(CACHE_HEADER) == "hit"  # what A rendered, from the cache both servers share
    assert cached.text == first.text

    browser.log_in(install.a, install.data["office"], install.data["password"])
    published = browser.api(
        install.a, "POST", f"/api/v1/review/submissions/{install.data['ea_wer_2025']}/publish/", {"published": True}
    )
    assert published.status_code == 200, published.text[:2000]

    after = visitor.get(install.b, page)
    assert after.status_code == 200
    assert after.headers.get(CACHE_HEADER) != "hit"
    assert NO_RESULT not in after.text
    assert "Đạt 2/3 tiêu chí" in after.text
    again = visitor.get(install.a, page)
    assert again.headers.get(CACHE_HEADER) == "hit"
    assert again.text == after.text


def test_evidence_uploaded_through_one_server_downloads_through_the_other_from_the_bucket(install, browser):
    path = form_path(install, "ea_kly")
    content = pdf(secrets.token_hex(8))
    log_in_officer(browser, install, install.a, "ea_kly")
    form = form_with(browser.get(install.a, path).text, "lock_version")

    uploaded = browser.post(
        install.a,
        path,
        form.data(save="1"),
        files={"e_1_1": ("quyet-dinh-quy-hoach.pdf", content, "application/pdf")},
    )

    assert uploaded.status_code == 200 and "Đã lưu nháp." in uploaded.text, uploaded.text[:2000]
    on_b = browser.get(install.b, path)
    [download] = links(on_b.text, EVIDENCE)
    got = browser.get(install.b, download)
    assert got.status_code == 200
    assert got.content == content
    assert "quyet-dinh-quy-hoach.pdf" in got.headers["Content-Disposition"]
    # in the shared bucket, on no server's own disk
    stored = [key for key, value in cluster.bucket_objects(install.env).items() if value == content]
    assert len(stored) == 1 and stored[0].startswith("private/")  # the private part of the bucket
    assert install.local_files() == []
    # and still private: another commune's officer gets nothing, on either server
    other = Browser()
    log_in_officer(other, install, install.b, "hoa_thuan")
    assert other.get(install.b, download).status_code == 404
    assert other.get(install.a, download).status_code == 404
    assert Browser().get(install.b, download, allow_redirects=False).status_code == 302  # to the login page


# --- the worker dies in the middle of sending ---------------------------------------------------------------


def sending_marks(install) -> list[Path]:
    folder = install.mail_dir / SENDING
    return sorted(folder.iterdir()) if folder.exists() else []


def messages_to(install, address: str) -> list[EmailMessage]:
    """Every e-mail message the install sent to ``address`` (the file backend writes them one after another)."""
    found = []
    for path in sorted(install.mail_dir.glob("*.log")):
        for chunk in re.split(rb"^-{79}$", path.read_bytes(), flags=re.MULTILINE):
            if chunk.strip():
                message = BytesParser(policy=policy.default).parsebytes(chunk.strip())
                if address in message.get("To", ""):
                    found.append(message)
    return found


def notice_rows(office: Browser, install, recipient: str) -> list[list[str]]:
    """The rows of the office's list of notices addressed to ``recipient``."""
    page = office.get(install.b, NOTICES)
    assert page.status_code == 200, page.text[:2000]
    return [row for row in table_rows(page.text) if recipient in row]


def wait_for(condition, seconds: float, what: str, *services) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for service in services:
            service.check_running()
        assert time.monotonic() < deadline, f"{what} within {seconds}s"
        time.sleep(0.2)


def test_a_notice_whose_worker_is_killed_mid_send_reaches_its_recipient_once(install, browser):
    reviewer = install.data["reviewer"]["email"]
    path = form_path(install, "ea_phe")
    log_in_officer(browser, install, install.a, "ea_phe")
    form = form_with(browser.get(install.a, path).text, "lock_version")
    [question] = [name for name in form.names() if name.startswith("q_")]
    values = {"v_1_1": "yes", "v_2_1": "95", "v_2_2": "7", "v_10_1": "50", question: "Nguyễn Văn An"}
    marks_before = len(sending_marks(install))

    submitted = browser.post(
        install.a,
        path,
        form.data(**values, submit="1"),
        files={"e_1_1": ("quyet-dinh.pdf", pdf(secrets.token_hex(8)), "application/pdf")},
    )

    assert submitted.status_code == 200 and "Đã nộp hồ sơ." in submitted.text, submitted.text[:2000]
    first = install.worker
    wait_for(
        lambda: any(reviewer in mark.read_text() for mark in sending_marks(install)[marks_before:]),
        DELIVERY_SECONDS,
        "the worker did not start sending the district reviewer's notice",
        first,
    )
    first.kill()  # in the middle of sending: the backend is still waiting
    assert messages_to(install, reviewer) == []

    second = install.start_worker()
    # the office watches its list of notices until this one is sent (marked once the message is written)
    office = Browser()
    office.log_in(install.b, install.data["office"], install.data["password"])
    wait_for(
        lambda: [row[0] for row in notice_rows(office, install, reviewer)] == [SENT],
        DELIVERY_SECONDS,
        "the notice was not sent",
        second,
    )

    [notice] = messages_to(install, reviewer)
    assert " ".join(notice["Subject"].split()) == f"[NTM] {NOTICE_SUBJECT}"
    body = notice.get_content()
    assert install.data["names"]["ea_phe"] in body
    assert f"https://ntm.example.gov.vn/xet-duyet/ho-so/{install.data['drafts']['ea_phe']}/" in body
    attempts = [mark for mark in sending_marks(install)[marks_before:] if reviewer in mark.read_text()]
    assert len(attempts) == 2  # the one killed, the one that delivered
    # the office sees one notice, sent at the second attempt; a sent notice is never taken again
    [row] = notice_rows(office, install, reviewer)
    assert row[2] == f"[NTM] {NOTICE_SUBJECT}" and row[4] == "2"
    second.check_running()
