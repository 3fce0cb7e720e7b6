"""Recognising products and issuing their certificates (writes).

The province recognises a list of products with one decision (number, date, document); it goes through the
engine's one bulk recognition (``review.bulk.submissions_recognise`` with ``ocop=True``), so locking, audit and
the recognised status are the same as a commune's. Products whose council proposed the national level (five
stars) are not recognised by the province: they wait for the national decision, recorded when it arrives
(:func:`national_recognition_record`). Each recognised product gets a certificate valid for the rule's months,
which supersedes the product's previous current one. The office revokes a certificate with a reason
(:func:`certificate_revoke`): it is no longer current, so it leaves the public check and gets no expiry reminder.
"""

import calendar
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cms.errors import FORBIDDEN, INVALID, WRONG_STATE
from submissions import access
from submissions.audit import audit, audit_many
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Round, Submission, SubmissionStatus
from submissions.ocop.models import Certificate, CertificateStatus, RecognitionDecision, RecognitionLevel
from submissions.ocop.scoring import scoring_rule
from submissions.review.bulk import DONE, Outcome, submissions_recognise
from submissions.signals import results_changed


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months (31/01 + 1 month = 28/02 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(valid_from: datetime.date, months: int) -> datetime.date:
    """The last day of a validity of ``months`` months starting ``valid_from`` (01/03/2026, 36 → 28/02/2029)."""
    return add_months(valid_from, months) - datetime.timedelta(days=1)


def _decision(*, round_: Round, level: str, number: str, date, document, user) -> RecognitionDecision:
    if not (number or "").strip() or date is None:
        raise SubmissionError(_("Cần số và ngày quyết định công nhận."), details=["decision_number", "decision_date"])
    decision = RecognitionDecision(
        round=round_,
        level=level,
        number=number.strip(),
        date=date,
        issuer=round_.scope_root if level == RecognitionLevel.PROVINCE else None,
        created_by=user,
    )
    if document is not None:
        decision.document.save(document.name, document, save=False)
    decision.save()
    return decision


def _refuse_other_rounds(round_: Round, submissions: list[Submission]) -> None:
    if any(submission.round_id != round_.pk or not submission.product_id for submission in submissions):
        raise SubmissionError(_("Chỉ công nhận được hồ sơ sản phẩm OCOP của đợt này."), code=INVALID)


@transaction.atomic
def products_recognise(
    *, round_: Round, submissions: list[Submission], user, decision_number: str, decision_date, document=None
) -> tuple[RecognitionDecision | None, list[Outcome]]:
    """The province recognises the listed products with one decision. Each must wait for recognition with at least
    the rule's minimum stars and below the national level; the others are refused one by one, with a reason."""
    if not access.may_recognise_products(user, round_):
        raise SubmissionError(_("Bạn không có quyền công nhận sản phẩm của đợt này."), code=FORBIDDEN)
    _refuse_other_rounds(round_, submissions)
    rule = scoring_rule(round_)
    eligible, refused = [], []
    for submission in submissions:
        reason = ""
        if submission.stars is None or submission.stars < rule.min_recognised_stars:
            reason = _("Sản phẩm chưa đạt %(stars)s sao, không được công nhận.") % {"stars": rule.min_recognised_stars}
        elif submission.stars >= rule.national_stars:
            reason = _("Sản phẩm %(stars)s sao do Trung ương công nhận; hãy ghi nhận quyết định của Trung ương.") % {
                "stars": submission.stars
            }
        if reason:
            outcome = Outcome(
                pk=submission.pk,
                submission=submission,
                status_before=submission.status,
                status=SubmissionStatus.RECOGNISED,
                published_before=submission.published,
                published=submission.published,
            )
            outcome.refuse(SubmissionError(reason))
            refused.append(outcome)
        else:
            eligible.append(submission)
    if not eligible:
        return None, refused
    decision = _decision(
        round_=round_,
        level=RecognitionLevel.PROVINCE,
        number=decision_number,
        date=decision_date,
        document=document,
        user=user,
    )
    outcomes = submissions_recognise(
        submissions=eligible, user=user, decision_number=decision.number, decision_date=decision.date, ocop=True
    )
    done = [outcome.submission for outcome in outcomes if outcome.result == DONE]
    if not done:
        transaction.set_rollback(True)
        return None, outcomes + refused
    certificates_issue(submissions=done, decision=decision)
    return decision, outcomes + refused


@transaction.atomic
def national_recognition_record(
    *, round_: Round, submissions: list[Submission], user, number: str, date, document=None
) -> tuple[RecognitionDecision | None, list[Outcome]]:
    """Record the national decision recognising five-star products the council proposed upward."""
    if not access.may_recognise_products(user, round_):
        raise SubmissionError(_("Bạn không có quyền ghi nhận quyết định của đợt này."), code=FORBIDDEN)
    _refuse_other_rounds(round_, submissions)
    rule = scoring_rule(round_)
    if any(submission.stars is None or submission.stars < rule.national_stars for submission in submissions):
        raise SubmissionError(
            _("Chỉ ghi nhận quyết định Trung ương cho sản phẩm được đề nghị %(stars)s sao.")
            % {"stars": rule.national_stars}
        )
    decision = _decision(
        round_=round_, level=RecognitionLevel.NATIONAL, number=number, date=date, document=document, user=user
    )
    outcomes = submissions_recognise(
        submissions=submissions, user=user, decision_number=decision.number, decision_date=decision.date, ocop=True
    )
    done = [outcome.submission for outcome in outcomes if outcome.result == DONE]
    if not done:
        transaction.set_rollback(True)
        return None, outcomes
    audit_many(
        submissions=done, action=AuditAction.NATIONAL_RECOGNISED, user=user, after={"decision_number": decision.number}
    )
    certificates_issue(submissions=done, decision=decision)
    return decision, outcomes


def certificates_issue(*, submissions: list[Submission], decision: RecognitionDecision) -> list[Certificate]:
    """A certificate for each recognised product, from the decision's date for the rule's months; the product's
    previous current certificate is superseded. Three queries, whatever the number of products."""
    if not submissions:
        return []
    months = scoring_rule(decision.round).certificate_months
    Certificate.objects.filter(
        product_id__in=[submission.product_id for submission in submissions], status=CertificateStatus.CURRENT
    ).update(status=CertificateStatus.SUPERSEDED)
    return Certificate.objects.bulk_create(
        [
            Certificate(
                submission=submission,
                product_id=submission.product_id,
                stars=submission.stars,
                decision=decision,
                valid_from=decision.date,
                valid_until=valid_until(decision.date, months),
            )
            for submission in submissions
        ]
    )


#: The longest reason a revocation keeps.
REVOKE_REASON_MAX = 2000


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """The office of the product's province revokes a current certificate, with a reason (audited on the dossier).
    The public check and the catalogue stop showing it (``results_changed``), and no reminder is sent for it."""
    submission = certificate.submission
    if not access.is_office_for(user, submission):
        raise SubmissionError(_("Chỉ văn phòng điều phối của tỉnh thu hồi được giấy chứng nhận."), code=FORBIDDEN)
    reason = " ".join((reason or "").split())
    if not reason:
        raise SubmissionError(_("Thu hồi giấy chứng nhận phải có lý do."), details=["reason"])
    if len(reason) > REVOKE_REASON_MAX:
        raise SubmissionError(_("Lý do thu hồi dài quá %(n)s ký tự.") % {"n": REVOKE_REASON_MAX}, details=["reason"])
    updated = Certificate.objects.filter(pk=certificate.pk, status=CertificateStatus.CURRENT).update(
        status=CertificateStatus.REVOKED, revoked_reason=reason
    )
    if not updated:
        raise SubmissionError(_("Giấy chứng nhận này không còn hiệu lực, không thu hồi được."), code=WRONG_STATE)
    certificate.status, certificate.revoked_reason = CertificateStatus.REVOKED, reason
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.CERTIFICATE_REVOKED,
        user=user,
        comment=reason,
        after={"certificate_code": str(certificate.code), "valid_until": certificate.valid_until.isoformat()},
    )
    results_changed.send(sender=Submission, unit_ids=[submission.unit_id])
    return certificate
