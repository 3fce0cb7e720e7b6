"""The people behind the numbers, in a browser: a commune officer submits at phone size, a department
appraises a criterion, the office recognises and publishes, and the citizen sees the change."""

import re

import pytest

from submissions.models import AppraisalStatus, CriterionAppraisal, Submission, SubmissionStatus
from tests.e2e.conftest import PDF, login, to_appraisal, to_recognition

pytestmark = pytest.mark.e2e


def test_commune_officer_fills_and_submits_the_form_on_a_phone(world, phone, tmp_path):
    base = world["url"]
    submission = world["submissions"]["hoa_thuan"]
    login(phone, base, "canbo_hoathuan", "/danh-gia/")
    phone.get_by_role("link", name=re.compile("Xã Hòa Thuận")).click()
    phone.wait_for_url(f"{base}/danh-gia/ho-so/{submission.pk}/muc-luc/")  # officers land on the contents
    phone.get_by_role("link", name="Xem cả biểu mẫu trên một trang").click()
    phone.wait_for_url(f"{base}/danh-gia/ho-so/{submission.pk}/")
    phone.check("input[name=v_1_1][value=yes]")
    evidence = tmp_path / "quyet-dinh-quy-hoach.pdf"
    evidence.write_bytes(PDF)
    phone.set_input_files("input[name=e_1_1]", str(evidence))
    phone.fill("input[name=v_2_1]", "95")
    phone.fill("input[name=v_2_2]", "7")
    phone.fill("input[name=v_10_1]", "52")
    phone.fill(f"[name={world['question']}]", "Nguyễn Văn An")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.get_by_role("button", name="Nộp hồ sơ").count() == 0  # submitting only after checking the answers
    phone.get_by_role("button", name="Lưu và kiểm tra trước khi nộp").click()
    phone.wait_for_url(f"{base}/danh-gia/ho-so/{submission.pk}/kiem-tra/")
    assert "quyet-dinh-quy-hoach.pdf" in phone.content()
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    phone.wait_for_load_state()
    assert "Đã nộp hồ sơ" in phone.locator(".messages").inner_text()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.criteria_met == 3
    assert submission.evidence.get().original_name == "quyet-dinh-quy-hoach.pdf"


def test_department_appraises_its_criterion(world, desktop):
    base = world["url"]
    submission = to_appraisal(world, "hoa_thuan")
    login(desktop, base, "so_xaydung", "/xet-duyet/")
    queue = desktop.get_by_role("table", name="Tiêu chí chờ thẩm định")
    assert sorted(queue.locator("tbody tr td:nth-child(4)").all_inner_texts()) == ["1", "2"]
    queue.get_by_role("link", name="Xã Hòa Thuận").first.click()
    desktop.wait_for_url(f"{base}/xet-duyet/ho-so/{submission.pk}/")
    desktop.get_by_role("button", name="Thẩm định tiêu chí 1").click()
    desktop.wait_for_load_state()
    assert "Đã thẩm định tiêu chí 1." in desktop.locator(".messages").inner_text()
    appraisal = CriterionAppraisal.objects.get(submission=submission, number=1)
    assert appraisal.status == AppraisalStatus.APPROVED
    assert appraisal.appraised_by == world["users"]["construction"]
    # the other department's criterion is not this appraiser's to decide
    assert desktop.get_by_role("button", name="Thẩm định tiêu chí 10").count() == 0


def test_office_recognises_and_publishes_then_the_citizen_sees_it(world, desktop, phone):
    base = world["url"]
    submission = to_recognition(world, "hoa_thuan")
    commune_url = f"{base}/xa/xa-hoa-thuan/"
    phone.goto(commune_url)  # the citizen's visit fills the page cache
    assert "Chưa có kết quả đánh giá nào của xã" in phone.content()

    login(desktop, base, "vanphong", f"/xet-duyet/ho-so/{submission.pk}/")
    desktop.get_by_role("link", name="Công nhận…").click()  # a page that shows what will change, then confirms
    assert "Xã Hòa Thuận" in desktop.locator("main").inner_text()
    desktop.fill("input[name=decision_number]", "125/QĐ-UBND")
    desktop.fill("input[name=decision_date]", "20/12/2026")
    desktop.get_by_role("button", name="Xác nhận công nhận 1 hồ sơ").click()
    desktop.wait_for_load_state()
    assert "Đã công nhận kết quả." in desktop.locator(".messages").inner_text()
    phone.reload()
    assert "Chưa có kết quả đánh giá nào của xã" in phone.content()  # recognised is not yet published

    desktop.get_by_role("link", name="Công khai kết quả…").click()
    desktop.get_by_role("button", name="Xác nhận công khai 1 hồ sơ").click()
    desktop.wait_for_load_state()
    assert "Đã công khai kết quả." in desktop.locator(".messages").inner_text()
    assert Submission.objects.get(pk=submission.pk).published

    phone.reload()
    assert "Đạt 3/3 tiêu chí" in phone.locator(".summary-box").inner_text()
    assert "Quyết định số 125/QĐ-UBND ngày 20/12/2026" in phone.content()
    phone.goto(base + "/")
    assert "xã đạt chuẩn, trên 1 xã có kết quả công bố" in phone.content()


def test_a_reviewer_works_on_a_phone_without_sideways_scrolling_and_can_log_out(world, phone):
    """The district's queue and a submission's review page fit a 360 px phone (long indicator names in the return
    form's choices and wide tables scroll inside the page, not the page itself), and both offer logging out."""
    base = world["url"]
    submission = to_appraisal(world, "ea_kly")
    login(phone, base, "vanphong", "/xet-duyet/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.get_by_role("button", name="Đăng xuất").count() == 1
    phone.goto(f"{base}/xet-duyet/ho-so/{submission.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    with phone.expect_navigation():  # the logout's own navigation ends before the next one starts
        phone.get_by_role("button", name="Đăng xuất").click()
    phone.goto(f"{base}/xet-duyet/")
    assert "/dang-nhap/" in phone.url
