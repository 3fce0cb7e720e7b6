"""The consultation's services: opening (who, when, which period), residents' comments and their limits, moderation
and answers (who may, audited), closing (the frozen summary), the scheduler's commands."""

import datetime

from django.core.management import call_command
from django.utils import timezone

import pytest

from cms.audit.models import AuditEntry
from submissions.consultation import selectors, services
from submissions.consultation.models import Comment, CommentStatus, Consultation, ConsultationStatus
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Submission, SubmissionStatus
from tests.submissions.consultation.factories import (
    SECRET_CONTACT,
    SECRET_NAME,
    CommentFactory,
    open_consultation,
    published_comment,
)

TODAY = timezone.localdate


def _submit(consultation, body="Đề nghị làm rõ tiêu chí giao thông", address="10.1.1.1", **kwargs):
    return services.comment_submit(consultation=consultation, body=body, address=address, **kwargs)


# --- opening ---------------------------------------------------------------------------------------------------


def test_the_office_opens_a_consultation_for_an_appraised_submission(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"], show_values=True)
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.opens_on == TODAY() and consultation.show_values
    entry = AuditEntry.objects.about(consulted["submission"]).get(action=AuditAction.CONSULTATION_OPENED)
    assert entry.actor == consulted["office"]


@pytest.mark.parametrize("status", [SubmissionStatus.APPRAISAL, SubmissionStatus.RECOGNISED, SubmissionStatus.DRAFT])
def test_only_a_submission_waiting_for_recognition_is_consulted(consulted, status):
    Submission.objects.filter(pk=consulted["submission"].pk).update(status=status)
    with pytest.raises(SubmissionError) as refused:
        open_consultation(consulted["submission"], consulted["office"])
    assert refused.value.message == "Chỉ lấy ý kiến người dân khi hồ sơ đã thẩm định xong, đang chờ công nhận."
    assert not Consultation.objects.exists()


def test_the_period_must_end_after_it_starts(consulted):
    with pytest.raises(SubmissionError) as refused:
        services.consultation_open(
            submission=consulted["submission"],
            user=consulted["office"],
            opens_on=TODAY(),
            closes_on=TODAY() - datetime.timedelta(days=1),
        )
    assert refused.value.fields == {"closes_on": ["Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở về sau."]}


def test_a_submission_is_consulted_once(consulted):
    open_consultation(consulted["submission"], consulted["office"])
    with pytest.raises(SubmissionError, match="đã được lấy ý kiến"):
        open_consultation(consulted["submission"], consulted["office"])


@pytest.mark.parametrize("who", ["officer", "reviewer", "appraiser", "national", "other_office"])
def test_nobody_but_the_province_office_opens_one(consulted, who):
    with pytest.raises(SubmissionError) as refused:
        open_consultation(consulted["submission"], consulted[who])
    assert refused.value.code == "forbidden"
    assert not Consultation.objects.exists()


# --- comments and their limits ----------------------------------------------------------------------------------


def test_a_comment_waits_for_moderation_and_keeps_only_a_hash_of_the_address(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = _submit(consultation, author_name=SECRET_NAME, contact=SECRET_CONTACT, address="203.0.113.7")
    assert comment.status == CommentStatus.PENDING
    assert comment.address_hash == services.address_hash("203.0.113.7")
    assert "203.0.113.7" not in comment.address_hash and len(comment.address_hash) == 64


def test_the_sixth_comment_from_one_address_within_the_window_is_refused(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    for index in range(5):
        _submit(consultation, body=f"Ý kiến {index}")
    with pytest.raises(SubmissionError) as refused:
        _submit(consultation, body="Ý kiến thứ sáu")
    assert refused.value.code == services.RATE_LIMITED
    assert refused.value.message.startswith("Bạn đã gửi 5 ý kiến trong 60 phút vừa qua")
    assert Comment.objects.count() == 5
    assert _submit(consultation, address="10.2.2.2") is not None  # another address is not held back


def test_the_window_ends(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    for _index in range(5):
        _submit(consultation)
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    assert _submit(consultation) is not None


def test_the_limits_are_settings(consulted, settings):
    settings.CONSULTATION_COMMENTS_PER_ADDRESS = 2
    settings.CONSULTATION_COMMENTS_PER_DAY = 3
    consultation = open_consultation(consulted["submission"], consulted["office"])
    _submit(consultation), _submit(consultation)
    with pytest.raises(SubmissionError, match="Bạn đã gửi 2 ý kiến"):
        _submit(consultation)
    _submit(consultation, address="10.3.3.3")
    with pytest.raises(SubmissionError, match="đã nhận đủ số ý kiến tối đa trong ngày"):
        _submit(consultation, address="10.4.4.4")


def test_a_comment_over_the_length_limit_is_refused(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    with pytest.raises(SubmissionError) as refused:
        _submit(consultation, body="a" * 2001)
    assert refused.value.fields == {
        "body": ["Ý kiến dài 2001 ký tự, quá giới hạn 2000 ký tự; hãy rút gọn rồi gửi lại."]
    }
    assert _submit(consultation, body="a" * 2000) is not None


def test_an_empty_comment_is_refused(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    with pytest.raises(SubmissionError) as refused:
        _submit(consultation, body="   ")
    assert refused.value.fields == {"body": ["Hãy viết ý kiến của bạn."]}


def test_a_filled_honeypot_is_dropped_without_a_word(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    assert _submit(consultation, honeypot="http://spam.example") is None
    assert not Comment.objects.exists()


@pytest.mark.parametrize("starts_in", [1, -40])
def test_comments_come_only_within_the_period(consulted, starts_in):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=TODAY() + datetime.timedelta(days=starts_in),
        closes_on=TODAY() + datetime.timedelta(days=starts_in + 30),
    )
    with pytest.raises(SubmissionError, match="không còn nhận ý kiến"):
        _submit(consultation)


# --- moderation and answers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "officer"])
def test_the_office_and_the_commune_moderate(consulted, who):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = CommentFactory(consultation=consultation)
    services.comment_moderate(comment=comment, user=consulted[who], approved=True)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and comment.moderated_by == consulted[who]
    entry = AuditEntry.objects.about(consulted["submission"]).get(action=AuditAction.COMMENT_MODERATED)
    assert entry.after == {"comment": comment.pk, "status": "approved"} and entry.actor == consulted[who]


@pytest.mark.parametrize("who", ["neighbour", "reviewer", "appraiser", "national", "other_office"])
def test_nobody_else_moderates(consulted, who):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = CommentFactory(consultation=consultation)
    with pytest.raises(SubmissionError) as refused:
        services.comment_moderate(comment=comment, user=consulted[who], approved=True)
    assert refused.value.code == "forbidden"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_the_commune_answers_a_published_comment(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = published_comment(consultation)
    services.comment_answer(comment=comment, user=consulted["officer"], answer="Xã đã bổ sung kế hoạch.")
    comment.refresh_from_db()
    assert comment.answer == "Xã đã bổ sung kế hoạch." and comment.answered_by == consulted["officer"]
    assert AuditEntry.objects.about(consulted["submission"]).filter(action=AuditAction.COMMENT_ANSWERED).count() == 1


def test_a_pending_comment_is_not_answered(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = CommentFactory(consultation=consultation)
    with pytest.raises(SubmissionError, match="Chỉ trả lời ý kiến đã được duyệt công khai."):
        services.comment_answer(comment=comment, user=consulted["officer"], answer="Trả lời")


@pytest.mark.parametrize("who", ["neighbour", "office", "other_office", "reviewer"])
def test_only_the_commune_answers(consulted, who):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = published_comment(consultation)
    with pytest.raises(SubmissionError) as refused:
        services.comment_answer(comment=comment, user=consulted[who], answer="Trả lời")
    assert refused.value.code == "forbidden"


# --- closing ---------------------------------------------------------------------------------------------------------


def test_closing_freezes_the_summary(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    shown = published_comment(consultation, body="Đường liên thôn còn hư hỏng", answer="Xã sửa trong quý I.")
    CommentFactory(consultation=consultation, status=CommentStatus.REJECTED, body="Quảng cáo")
    pending = CommentFactory(consultation=consultation)

    services.consultation_close(consultation=consultation, user=consulted["office"])

    consultation.refresh_from_db()
    summary = consultation.summary
    assert consultation.status == ConsultationStatus.CLOSED and consultation.closed_by == consulted["office"]
    assert summary["opens_on"] == TODAY().isoformat()
    assert (summary["comments_received"], summary["comments_published"], summary["comments_rejected"]) == (3, 1, 1)
    assert [(row["body"], row["answer"]) for row in summary["comments"]] == [(shown.body, shown.answer)]
    assert set(summary["survey"]) == {
        "online_respondents",
        "online_satisfied",
        "paper_respondents",
        "paper_satisfied",
        "rule",
        "rate",
    }
    assert SECRET_NAME not in str(summary) and SECRET_CONTACT not in str(summary)
    # frozen: nothing changes it any more
    with pytest.raises(SubmissionError, match="không thay đổi ý kiến được nữa"):
        services.comment_moderate(comment=pending, user=consulted["office"], approved=True)
    with pytest.raises(SubmissionError, match="không còn nhận ý kiến"):
        _submit(consultation)
    consultation.refresh_from_db()
    assert consultation.summary == summary
    assert selectors.consultation_summary(consultation) == summary


def test_the_daily_command_closes_what_has_ended(consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    published_comment(consultation)
    call_command("close_consultations")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN  # still within its period
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=TODAY() - datetime.timedelta(days=31), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    call_command("close_consultations")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED and consultation.closed_by is None
    assert consultation.summary["comments_published"] == 1


def test_contacts_are_erased_after_the_retention_period(consulted, settings):
    settings.CONSULTATION_CONTACT_RETENTION_DAYS = 180
    consultation = open_consultation(consulted["submission"], consulted["office"])
    old = published_comment(consultation)
    recent = CommentFactory(consultation=consultation)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=181))

    call_command("erase_consultation_contacts")

    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.author_name, old.contact) == ("", "") and old.contact_erased_at is not None
    assert old.body and old.status == CommentStatus.APPROVED  # the comment itself stays
    assert (recent.author_name, recent.contact) == (SECRET_NAME, SECRET_CONTACT)
