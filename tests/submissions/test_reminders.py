"""Daily reminders (manage.py send_reminders), through the outbox: commune officers whose round is due within the
configured days and who have not submitted; reviewers, departments and the office whose submissions waited at
their stage too long. One e-mail per person and stage a day: the same day again sends nothing new."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.directory.models import Department, Role
from cms.outbox.models import Notice, NoticeKind
from submissions.models import AppraisalStatus, CriterionAppraisal, Submission, SubmissionStatus
from tests.factories import member


def _send(day: str, **options) -> str:
    out = StringIO()
    call_command("send_reminders", date=day, stdout=out, **options)
    return out.getvalue()


def _to(address_part: str) -> list:
    return [message for message in mail.outbox if any(address_part in to for to in message.to)]


def test_communes_that_have_not_submitted_are_reminded_once_a_day_before_the_due_date(area, open_round):
    mail.outbox.clear()
    assert "0 reminder(s) queued" in _send("2026-12-01")  # 14 days before the due date (15/12/2026)

    output = _send("2026-12-13", due_days=3)

    officers = sorted(message.to[0] for message in mail.outbox)
    assert officers == ["canbo_ea_kly@example.org", "canbo_ea_wer@example.org", "canbo_hoa_thuan@example.org"]
    message = _to("canbo_hoa_thuan")[0]
    assert message.subject == "[NTM] Nhắc hạn nộp hồ sơ đánh giá"
    assert "Xã Hòa Thuận – Đánh giá năm 2026: hạn nộp 15/12/2026 (còn 2 ngày), nháp" in message.body
    assert "3 reminder(s) queued" in output
    assert Notice.objects.filter(kind=NoticeKind.REMINDER, provinces__code="66").count() == 3

    assert "0 reminder(s) queued" in _send("2026-12-13")  # the same day again: nothing new
    assert len(mail.outbox) == 3
    _send("2026-12-16")  # the next day, past due: reminded again
    assert "quá hạn 1 ngày" in _to("canbo_hoa_thuan")[-1].body
    assert len(mail.outbox) == 6


def test_a_submitted_commune_is_not_reminded_of_its_due_date(area, open_round):
    Submission.objects.filter(round=open_round, unit=area["communes"]["ea_kly"]).update(
        status=SubmissionStatus.SUBMITTED, stage_entered_at=timezone.now()
    )
    mail.outbox.clear()

    _send("2026-12-13")

    assert not _to("canbo_ea_kly")
    assert len(mail.outbox) == 2


def test_submissions_waiting_too_long_at_a_review_stage_remind_whoever_acts_there(area, open_round, settings):
    settings.REVIEW_STAGE_DAYS = 10
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xd")
    long_ago, lately = timezone.now() - datetime.timedelta(days=12), timezone.now() - datetime.timedelta(days=2)
    submissions = {s.unit_id: s for s in Submission.objects.filter(round=open_round)}
    hoa_thuan, ea_kly, ea_wer = (submissions[area["communes"][key].pk] for key in ("hoa_thuan", "ea_kly", "ea_wer"))
    Submission.objects.filter(pk=hoa_thuan.pk).update(status=SubmissionStatus.SUBMITTED, stage_entered_at=long_ago)
    Submission.objects.filter(pk=ea_kly.pk).update(status=SubmissionStatus.APPRAISAL, stage_entered_at=long_ago)
    Submission.objects.filter(pk=ea_wer.pk).update(status=SubmissionStatus.RECOGNITION, stage_entered_at=lately)
    CriterionAppraisal.objects.create(
        submission=ea_kly, number=1, department=Department.objects.get(code="so-xd"), status=AppraisalStatus.PENDING
    )
    mail.outbox.clear()

    _send("2026-12-01")

    reviewer = _to("thamtra")
    assert len(reviewer) == 1
    assert reviewer[0].subject == "[NTM] Hồ sơ chờ xử lý quá 10 ngày"
    assert "Xã Hòa Thuận – Đánh giá năm 2026: đã nộp, chờ huyện thẩm tra từ" in reviewer[0].body
    assert "(12 ngày)" in reviewer[0].body
    assert "Xã Ea Kly" in _to(appraiser.username)[0].body
    assert not _to("vanphong")  # Ea Wer waits at the office for 2 days only

    _send("2026-12-01")
    assert len(_to("thamtra")) == 1
