"""Writes of the public consultation: the office opens and closes it, anyone comments (no account), the office or
the commune moderates, the commune answers; names and contacts are erased after their retention period.

Every change a commune page shows sends :data:`submissions.signals.results_changed` for the commune (the public
page cache and the front cache drop it). Every moderation and answer is an audit entry of the submission.

Limits on comments (settings, see ``.env.example``): ``CONSULTATION_COMMENT_MAX_LENGTH`` characters;
``CONSULTATION_COMMENTS_PER_ADDRESS`` comments from one address within ``CONSULTATION_COMMENT_WINDOW_MINUTES`` (the
next one is refused); ``CONSULTATION_COMMENTS_PER_DAY`` per consultation per day. They are counted in the database,
by a keyed hash of the sender's address (never the address), so every server counts the same; the consultation's
row is locked while a comment is counted and stored, so two comments sent at once cannot both slip under a limit.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cms.errors import INVALID, WRONG_STATE
from cms.input import FORBIDDEN_MESSAGE, has_forbidden_characters
from submissions import access
from submissions.access import require
from submissions.audit import audit
from submissions.consultation import selectors
from submissions.consultation.models import Comment, CommentStatus, Consultation, ConsultationStatus
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Submission, SubmissionStatus
from submissions.signals import results_changed

#: The code of a comment refused by a rate limit (the API answers it with HTTP 429).
RATE_LIMITED = "rate_limited"
#: The longest name and contact a commenter may leave (the model's columns).
NAME_MAX_LENGTH = Comment._meta.get_field("author_name").max_length
CONTACT_MAX_LENGTH = Comment._meta.get_field("contact").max_length
#: The longest answer of the commune.
ANSWER_MAX_LENGTH = 4000
#: What an address is hashed with (with SECRET_KEY): a comment keeps this hash, never the address.
ADDRESS_SALT = "submissions.consultation.address"


def comment_max_length() -> int:
    return int(settings.CONSULTATION_COMMENT_MAX_LENGTH)


def address_hash(address: str | None) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of a sender's address: enough to count their comments, useless to
    find them."""
    return salted_hmac(ADDRESS_SALT, address or "", algorithm="sha256").hexdigest()


def _changed(consultation: Consultation) -> None:
    results_changed.send(sender=Consultation, unit_ids=[consultation.submission.unit_id])


# --- the office opens and closes --------------------------------------------------------------------------------


def _period_check(opens_on: datetime.date | None, closes_on: datetime.date | None) -> None:
    fields = {}
    if opens_on is None:
        fields["opens_on"] = [_("Nhập ngày bắt đầu lấy ý kiến (dd/mm/yyyy).")]
    if closes_on is None:
        fields["closes_on"] = [_("Nhập ngày kết thúc lấy ý kiến (dd/mm/yyyy).")]
    if fields:
        raise SubmissionError(_("Thời gian lấy ý kiến chưa đầy đủ."), code=INVALID, fields=fields)
    if closes_on < opens_on:
        message = _("Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở về sau.")
        raise SubmissionError(message, code=INVALID, fields={"closes_on": [message]})
    if closes_on < timezone.localdate():
        message = _("Ngày kết thúc lấy ý kiến đã qua.")
        raise SubmissionError(message, code=INVALID, fields={"closes_on": [message]})


@transaction.atomic
def consultation_open(
    *,
    submission: Submission,
    user,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    show_values: bool = False,
) -> Consultation:
    """Open the public consultation of a submission that passed appraisal and waits for recognition, for the period
    the office sets. From ``opens_on`` its commune's public page shows the appraised verdicts (and the values if
    ``show_values``), marked "Đang lấy ý kiến — chưa công nhận"."""
    require(access.may_open_consultation(user, submission))
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("unit", "round").get(pk=submission.pk)
    )
    if submission.status != SubmissionStatus.RECOGNITION:
        raise SubmissionError(
            _("Chỉ lấy ý kiến người dân khi hồ sơ đã thẩm định xong, đang chờ công nhận."), code=WRONG_STATE
        )
    if Consultation.objects.filter(submission=submission).exists():
        raise SubmissionError(_("Hồ sơ này đã được lấy ý kiến người dân."), code=WRONG_STATE)
    _period_check(opens_on, closes_on)
    consultation = Consultation.objects.create(
        submission=submission, opens_on=opens_on, closes_on=closes_on, show_values=show_values, opened_by=user
    )
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.CONSULTATION_OPENED,
        user=user,
        after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(), "show_values": show_values},
    )
    _changed(consultation)
    return consultation


def _close(consultation: Consultation, user) -> Consultation:
    consultation.summary = selectors.summary_build(consultation)
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = timezone.now()
    consultation.closed_by = user
    consultation.save(update_fields=["summary", "status", "closed_at", "closed_by", "updated_at"])
    audit(
        round_=consultation.submission.round,
        submission=consultation.submission,
        action=AuditAction.CONSULTATION_CLOSED,
        user=user,
        after={
            "comments_received": consultation.summary["comments_received"],
            "comments_published": consultation.summary["comments_published"],
        },
    )
    _changed(consultation)
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("submission__round", "submission__unit")
        .get(pk=consultation.pk)
    )


@transaction.atomic
def consultation_close(*, consultation: Consultation, user) -> Consultation:
    """Close the consultation now (the office, before or after its period ends) and freeze its summary."""
    require(access.consultations_managed_by(user).filter(pk=consultation.pk).exists())
    consultation = _locked(consultation)
    if consultation.status == ConsultationStatus.CLOSED:
        raise SubmissionError(_("Đợt lấy ý kiến này đã kết thúc."), code=WRONG_STATE)
    return _close(consultation, user)


def consultations_close_due(*, today: datetime.date | None = None) -> int:
    """Close every consultation whose period ended before ``today`` (the daily command), each in its own
    transaction; the number closed."""
    today = today or timezone.localdate()
    closed = 0
    due = Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            consultation = _locked(Consultation(pk=pk))
            if consultation.status == ConsultationStatus.OPEN:
                _close(consultation, None)
                closed += 1
    return closed


# --- residents comment ---------------------------------------------------------------------------------------------


def _comment_check(body: str, author_name: str, contact: str) -> None:
    fields = {}
    if not body:
        fields["body"] = [_("Hãy viết ý kiến của bạn.")]
    elif len(body) > comment_max_length():
        fields["body"] = [
            _("Ý kiến dài %(length)s ký tự, quá giới hạn %(limit)s ký tự; hãy rút gọn rồi gửi lại.")
            % {"length": len(body), "limit": comment_max_length()}
        ]
    if len(author_name) > NAME_MAX_LENGTH:
        fields["author_name"] = [_("Họ tên dài quá %(limit)s ký tự.") % {"limit": NAME_MAX_LENGTH}]
    if len(contact) > CONTACT_MAX_LENGTH:
        fields["contact"] = [_("Thông tin liên hệ dài quá %(limit)s ký tự.") % {"limit": CONTACT_MAX_LENGTH}]
    for name, text in (("body", body), ("author_name", author_name), ("contact", contact)):
        if name not in fields and has_forbidden_characters(text):
            fields[name] = [str(FORBIDDEN_MESSAGE)]
    if fields:
        message = next(iter(fields.values()))[0] if len(fields) == 1 else _("Ý kiến chưa gửi được; xem các ô báo lỗi.")
        raise SubmissionError(message, code=INVALID, fields=fields)


def _rate_check(consultation: Consultation, sender: str, now: datetime.datetime) -> None:
    window = datetime.timedelta(minutes=int(settings.CONSULTATION_COMMENT_WINDOW_MINUTES))
    per_address = int(settings.CONSULTATION_COMMENTS_PER_ADDRESS)
    if Comment.objects.filter(address_hash=sender, created_at__gte=now - window).count() >= per_address:
        raise SubmissionError(
            _(
                "Bạn đã gửi %(count)s ý kiến trong %(minutes)s phút vừa qua, đủ số ý kiến được gửi từ một "
                "địa chỉ mạng. Xin gửi tiếp sau ít phút nữa."
            )
            % {"count": per_address, "minutes": window.seconds // 60 + window.days * 1440},
            code=RATE_LIMITED,
        )
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if Comment.objects.filter(consultation=consultation, created_at__gte=day_start).count() >= int(
        settings.CONSULTATION_COMMENTS_PER_DAY
    ):
        raise SubmissionError(
            _("Hôm nay đợt lấy ý kiến này đã nhận đủ số ý kiến tối đa trong ngày. Xin gửi lại vào ngày mai."),
            code=RATE_LIMITED,
        )


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    body: str,
    author_name: str = "",
    contact: str = "",
    address: str | None = None,
    honeypot: str = "",
) -> Comment | None:
    """Store a resident's comment (pending moderation). ``address``: the sender's address (only its keyed hash is
    kept). A filled ``honeypot`` (a field people never see) is a robot: nothing is stored, and it is not told
    (None is returned)."""
    if honeypot:
        return None
    body, author_name, contact = (body or "").strip(), (author_name or "").strip(), (contact or "").strip()
    _comment_check(body, author_name, contact)
    consultation = _locked(consultation)
    if not access.consultation_takes_answers(consultation):  # e.g. its submission was recognised meanwhile
        raise SubmissionError(_("Đợt lấy ý kiến này không còn nhận ý kiến."), code=WRONG_STATE)
    sender = address_hash(address)
    _rate_check(consultation, sender, timezone.now())
    return Comment.objects.create(
        consultation=consultation, body=body, author_name=author_name, contact=contact, address_hash=sender
    )


# --- the office and the commune moderate, the commune answers ----------------------------------------------------


def _open_for_changes(consultation: Consultation) -> None:
    if consultation.status == ConsultationStatus.CLOSED:
        raise SubmissionError(
            _("Đợt lấy ý kiến đã kết thúc, tổng hợp đã chốt: không thay đổi ý kiến được nữa."), code=WRONG_STATE
        )


@transaction.atomic
def comment_moderate(*, comment: Comment, user, approved: bool) -> Comment:
    """Publish (``approved``) or keep off the public page a comment (the office of the province or the commune's
    officer), audited; a published comment can be withdrawn and a rejected one published."""
    require(access.comments_moderated_by(user).filter(pk=comment.pk).exists())
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    consultation = _locked(comment.consultation)
    _open_for_changes(consultation)
    before = comment.status
    comment.status = CommentStatus.APPROVED if approved else CommentStatus.REJECTED
    comment.moderated_at = timezone.now()
    comment.moderated_by = user
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    audit(
        round_=consultation.submission.round,
        submission=consultation.submission,
        action=AuditAction.COMMENT_MODERATED,
        user=user,
        before={"comment": comment.pk, "status": before},
        after={"comment": comment.pk, "status": comment.status},
    )
    _changed(consultation)
    return comment


@transaction.atomic
def comment_answer(*, comment: Comment, user, answer: str) -> Comment:
    """The commune's public answer to a published comment (an empty answer withdraws it), audited."""
    require(access.comments_answered_by(user).filter(pk=comment.pk).exists())
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    consultation = _locked(comment.consultation)
    _open_for_changes(consultation)
    answer = (answer or "").strip()
    if comment.status != CommentStatus.APPROVED:
        raise SubmissionError(_("Chỉ trả lời ý kiến đã được duyệt công khai."), code=WRONG_STATE)
    if len(answer) > ANSWER_MAX_LENGTH:
        message = _("Câu trả lời dài quá %(limit)s ký tự.") % {"limit": ANSWER_MAX_LENGTH}
        raise SubmissionError(message, code=INVALID, fields={"answer": [message]})
    if has_forbidden_characters(answer):
        raise SubmissionError(str(FORBIDDEN_MESSAGE), code=INVALID, fields={"answer": [str(FORBIDDEN_MESSAGE)]})
    before = comment.answer
    comment.answer = answer
    comment.answered_at = timezone.now() if answer else None
    comment.answered_by = user if answer else None
    comment.save(update_fields=["answer", "answered_at", "answered_by"])
    audit(
        round_=consultation.submission.round,
        submission=consultation.submission,
        action=AuditAction.COMMENT_ANSWERED,
        user=user,
        comment=answer,
        before={"comment": comment.pk, "answer": before},
        after={"comment": comment.pk, "answer": answer},
    )
    _changed(consultation)
    return comment


# --- personal data ---------------------------------------------------------------------------------------------------


@transaction.atomic
def consultation_contacts_erase(*, now: datetime.datetime | None = None) -> int:
    """Erase the names and contacts of comments older than ``CONSULTATION_CONTACT_RETENTION_DAYS`` (Decree
    13/2023/NĐ-CP: kept only as long as the office may need to reply); the number of comments erased."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=int(settings.CONSULTATION_CONTACT_RETENTION_DAYS))
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .filter(~Q(author_name="") | ~Q(contact=""))
        .update(author_name="", contact="", contact_erased_at=now)
    )
