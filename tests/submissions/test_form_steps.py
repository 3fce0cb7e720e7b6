"""The commune's form step by step (issue 14), without a browser: who may open and save each step, saving on every
move, the lock version, the contents screen's states, the check page (the only screen that submits), the links of
the error summary and of the "còn thiếu" list, evidence on every indicator, and the queries of each page."""

import re
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.directory.models import Role
from submissions.entry import services
from submissions.models import IndicatorValue, ReturnedItem, Submission, SubmissionStatus
from tests.factories import commune, member, province
from tests.submissions.words import visible_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# round_spec: criteria 1 (1.1, a file required), 2 (2.1, 2.2) and 10 (10.1); then the office's question.
STEP_OF = {1: 1, 2: 2, 10: 3}
QUESTIONS_STEP = 4


@pytest.fixture
def submission(open_round, area):
    return Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])


@pytest.fixture
def officer(client, area):
    client.force_login(area["officers"]["hoa_thuan"])
    return client


def question(published_set) -> str:
    return "q_" + published_set["form_page"].sections[0].value["questions"][0].id


def step_url(submission, number: int) -> str:
    return f"/danh-gia/ho-so/{submission.pk}/tieu-chi/{number}/"


def contents_url(submission) -> str:
    return f"/danh-gia/ho-so/{submission.pk}/muc-luc/"


def check_url(submission) -> str:
    return f"/danh-gia/ho-so/{submission.pk}/kiem-tra/"


def fresh(submission) -> Submission:
    return Submission.objects.get(pk=submission.pk)


def stored(submission) -> dict[str, str]:
    return dict(IndicatorValue.objects.filter(submission=submission).values_list("code", "raw"))


class Ids(HTMLParser):
    """Every id of a page, and every id an aria-describedby points at."""

    def __init__(self):
        super().__init__()
        self.ids, self.described_by = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.described_by += (attrs.get("aria-describedby") or "").split()


def dangling_descriptions(page: str) -> list[str]:
    ids = Ids()
    ids.feed(page)
    return [target for target in ids.described_by if target not in ids.ids]


def test_officer_goes_through_the_steps_saving_at_each_move(officer, submission, published_set):
    page = officer.get(step_url(submission, STEP_OF[2]))
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Tiêu chí 2/3" in text and "Tiêu chí 2. Giao thông" in text
    assert 'name="v_2_1"' in page.text and 'name="v_1_1"' not in page.text
    assert 'id="evaluation-form"' in page.text and f'data-submission="{submission.pk}"' in page.text
    assert page.text.count("submissions/js/offline.js") == 1  # the offline part, included once

    services.submission_save(submission=submission, raws={"1.1": "yes"}, user=None)
    version = fresh(submission).lock_version
    moved = officer.post(
        step_url(submission, 2), {"lock_version": version, "v_2_1": "95", "n_2_1": "Số liệu quý III", "go": "next"}
    )
    assert moved.status_code == 302 and moved["Location"] == step_url(submission, STEP_OF[10])
    assert stored(submission) == {"1.1": "yes", "2.1": "95", "2.2": "", "10.1": ""}  # other steps kept
    assert IndicatorValue.objects.get(submission=submission, code="2.1").note == "Số liệu quý III"

    back = officer.post(step_url(submission, 3), {"lock_version": version + 1, "v_10_1": "50", "go": "prev"})
    assert back.status_code == 302 and back["Location"] == step_url(submission, 2)
    assert stored(submission)["10.1"] == "50"
    first = officer.post(step_url(submission, 1), {"lock_version": version + 2, "v_1_1": "yes", "go": "prev"})
    assert first["Location"] == contents_url(submission)
    stay = officer.post(step_url(submission, 2), {"lock_version": version + 3, "v_2_1": "96", "go": "stay"})
    assert stay["Location"] == step_url(submission, 2)
    last = officer.post(
        step_url(submission, QUESTIONS_STEP), {"lock_version": version + 4, question(published_set): "An", "go": "next"}
    )
    assert last["Location"] == check_url(submission)
    assert fresh(submission).answers[question(published_set)] == "An"
    assert stored(submission)["2.1"] == "96"


def test_an_invalid_value_is_kept_and_listed_in_an_error_summary_linking_to_the_field(officer, submission):
    response = officer.post(
        step_url(submission, 2), {"lock_version": submission.lock_version, "v_2_1": "chín mươi", "go": "next"}
    )
    assert response.status_code == 200  # stays on the step
    assert stored(submission)["2.1"] == "chín mươi"
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', response.text, re.S).group(0)
    assert 'href="#id_v_2_1"' in summary and "Chỉ tiêu 2.1" in summary
    assert 'id="id_v_2_1"' in response.text
    assert 'class="indicator has-error" id="chi-tieu-v_2_1"' in response.text
    assert dangling_descriptions(response.text) == []


def test_a_stale_lock_version_saves_nothing(officer, submission):
    shown = submission.lock_version  # the version the officer's page was shown with
    services.submission_save(submission=submission, raws={"2.1": "91"}, user=None)  # saved elsewhere meanwhile
    response = officer.post(step_url(submission, 2), {"lock_version": shown, "v_2_1": "80"})
    assert response.status_code == 409
    assert "vừa được lưu ở nơi khác" in response.text
    assert 'value="80"' in response.text  # what was typed stays on screen
    assert stored(submission)["2.1"] == "91"

    stale = officer.post(check_url(submission), {"lock_version": shown, "submit": "1"})
    assert stale.status_code == 409
    assert fresh(submission).status == SubmissionStatus.DRAFT


@pytest.mark.parametrize("who", ["other_commune", "other_province", "reviewer", "office"])
def test_nobody_else_opens_or_saves_a_step(client, area, submission, who):
    if who == "other_province":
        elsewhere = commune(province("67", "Tỉnh Đắk Nông"), "24600", "Xã Quảng Khê")
        user = member(Role.COMMUNE_OFFICER, unit=elsewhere, username="canbo_quangkhe")
    else:
        user = {"other_commune": area["officers"]["ea_kly"], "reviewer": area["reviewer"], "office": area["office"]}[
            who
        ]
    client.force_login(user)
    for url in (step_url(submission, 2), contents_url(submission), check_url(submission)):
        assert client.get(url).status_code == 404, url
    saved = client.post(step_url(submission, 2), {"lock_version": submission.lock_version, "v_2_1": "10"})
    submitted = client.post(check_url(submission), {"lock_version": submission.lock_version, "submit": "1"})
    assert (saved.status_code, submitted.status_code) == (404, 404)
    assert "2.1" not in stored(submission) and fresh(submission).status == SubmissionStatus.DRAFT


def test_anonymous_is_sent_to_log_in(client, submission):
    response = client.get(step_url(submission, 1))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_a_step_beyond_the_last_is_not_found(officer, submission):
    assert officer.get(step_url(submission, 5)).status_code == 404
    assert officer.get(step_url(submission, 0)).status_code == 404


def test_contents_lists_every_step_with_its_state(officer, submission, published_set):
    services.submission_save(submission=submission, raws={"1.1": "yes", "2.1": "abc", "10.1": "50"}, user=None)
    page = officer.get(contents_url(submission))
    assert page.status_code == 200
    step_list = re.search(r'<ol class="step-list">.*?</ol>', page.text, re.S).group(0)
    items = [visible_text(li) for li in re.findall(r"<li>.*?</li>", step_list, re.S)]
    assert items == [
        "Tiêu chí 1. Quy hoạch Còn thiếu Đạt",  # the value is there, the required file is not
        "Tiêu chí 2. Giao thông Có lỗi Chưa đạt",
        "Tiêu chí 10. Thu nhập Đã đủ Đạt",
        "Câu hỏi của văn phòng điều phối Còn thiếu",
    ]
    for number in (1, 2, 3, 4):
        assert f'href="{step_url(submission, number)}"' in page.text
    assert f'href="/danh-gia/ho-so/{submission.pk}/"' in page.text  # the one-page view stays available


def test_the_list_opens_the_contents_screen(officer, submission):
    assert f'href="{contents_url(submission)}"' in officer.get("/danh-gia/").text


def test_check_page_links_each_missing_item_to_its_step_and_submits(officer, submission, published_set):
    services.submission_save(submission=submission, raws={"1.1": "yes", "2.1": "95", "10.1": "50"}, user=None)
    page = officer.get(check_url(submission))
    assert page.status_code == 200
    assert f'href="{step_url(submission, 2)}?tu=kiem-tra#chi-tieu-v_2_2"' in page.text
    assert f'href="{step_url(submission, 1)}?tu=kiem-tra#minh-chung-v_1_1"' in page.text
    assert f'href="{step_url(submission, 4)}?tu=kiem-tra#cau-hoi-{question(published_set)}"' in page.text
    text = visible_text(page.text)
    assert "Có" in text and "yes" not in text.split()
    refused = officer.post(check_url(submission), {"lock_version": fresh(submission).lock_version, "submit": "1"})
    assert refused.status_code == 400 and "Chưa nộp" in refused.text
    assert fresh(submission).status == SubmissionStatus.DRAFT

    # Following the link: the step marks what is missing there, and its button goes back to the check page.
    marked = officer.get(f"{step_url(submission, 1)}?tu=kiem-tra")
    assert 'class="evidence has-error" id="minh-chung-v_1_1"' in marked.text
    assert "Lưu và quay lại trang kiểm tra" in marked.text
    upload = SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")
    back = officer.post(
        f"{step_url(submission, 1)}?tu=kiem-tra",
        {"lock_version": fresh(submission).lock_version, "v_1_1": "yes", "e_1_1": upload, "go": "next"},
    )
    assert back.status_code == 302 and back["Location"] == check_url(submission)
    officer.post(
        f"{step_url(submission, 2)}?tu=kiem-tra",
        {"lock_version": fresh(submission).lock_version, "v_2_1": "95", "v_2_2": "7"},
    )
    officer.post(
        step_url(submission, 4), {"lock_version": fresh(submission).lock_version, question(published_set): "An"}
    )
    done = officer.post(check_url(submission), {"lock_version": fresh(submission).lock_version, "submit": "1"})
    assert done.status_code == 302 and done["Location"] == check_url(submission)
    assert fresh(submission).status == SubmissionStatus.SUBMITTED
    after = officer.get(check_url(submission))
    text = visible_text(after.text)
    assert "Hồ sơ đã nộp" in text and "Nộp hồ sơ" not in text and "qd.pdf" in text
    assert "yes" not in text.split() and "no" not in text.split()
    step = officer.get(step_url(submission, 1))
    assert 'name="v_1_1"' not in step.text and "Có" in visible_text(step.text)
    assert officer.post(step_url(submission, 2), {"lock_version": 99, "v_2_1": "1"}).status_code == 409


def test_every_indicator_takes_evidence_and_a_returned_item_shows_its_upload(officer, submission, area):
    ReturnedItem.objects.create(
        submission=submission, stage=SubmissionStatus.SUBMITTED, criterion_number=2, indicator_code="2.2",
        comment="Bổ sung biên bản nghiệm thu đường thôn",
    )  # fmt: skip
    page = officer.get(step_url(submission, 2))
    for name in ("e_2_1", "e_2_2"):
        assert f'name="{name}"' in page.text
    indicator = re.search(
        r'id="chi-tieu-v_2_2".*?(?=id="chi-tieu-|</fieldset>\s*<div class="form-actions)', page.text, re.S
    )
    assert "Bổ sung biên bản nghiệm thu đường thôn" in indicator.group(0)
    assert 'name="e_2_2"' in indicator.group(0)
    assert 'href="#chi-tieu-v_2_2"' in page.text  # the returned list links to it
    assert f'href="{step_url(submission, 2)}#chi-tieu-v_2_2"' in officer.get(check_url(submission)).text
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    officer.post(step_url(submission, 2), {"lock_version": submission.lock_version, "e_2_2": upload, "go": "stay"})
    assert submission.evidence.get().indicator_code == "2.2"


def test_the_form_is_accessible_markup(officer, submission):
    page = officer.get(step_url(submission, 1)).text
    assert re.search(r'<fieldset class="choices"><legend class="indicator-label">1\.1\. ', page)
    assert '<label for="id_n_1_1">Ghi chú cho chỉ tiêu 1.1</label>' in page
    assert '<label for="id_e_1_1">Thêm tệp minh chứng cho chỉ tiêu 1.1' in page
    assert dangling_descriptions(page) == []
    saved = officer.post(step_url(submission, 1), {"lock_version": submission.lock_version, "go": "stay"}, follow=True)
    assert re.search(r'<div role="status"><ul class="messages"><li class="message message-success">', saved.text)


def test_one_page_view_comes_back_to_the_criterion_and_goes_to_the_check_page(officer, submission):
    response = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        {"lock_version": submission.lock_version, "v_2_1": "95", "save": "tieu-chi-2"},
    )
    assert response["Location"] == f"/danh-gia/ho-so/{submission.pk}/#tieu-chi-2"
    checked = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/", {"lock_version": fresh(submission).lock_version, "check": "1"}
    )
    assert checked["Location"] == check_url(submission)
    page = officer.get(f"/danh-gia/ho-so/{submission.pk}/").text
    assert "Nộp hồ sơ</button>" not in page  # submitting is from the check page
    assert f'href="{contents_url(submission)}"' in page


@pytest.mark.parametrize("url_of", [lambda s: step_url(s, 2), contents_url, check_url])
def test_each_page_runs_a_bounded_number_of_queries(officer, submission, url_of, django_assert_max_num_queries):
    services.submission_save(submission=submission, raws={"1.1": "yes", "2.1": "95"}, user=None)
    with django_assert_max_num_queries(16):
        assert officer.get(url_of(submission)).status_code == 200
