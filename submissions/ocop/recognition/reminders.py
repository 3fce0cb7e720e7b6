"""Reminders before OCOP certificates end (``manage.py send_reminders``, once a day): a certificate still current,
whose last valid day is within the reminder days of its round's frozen scoring rule, and not yet reminded, gets
one e-mail (through the outbox) to each account of its producer and each office editor of its province. The
certificate then records when it was reminded, and the e-mail's event is the certificate: a second run the same day
or any later day sends nothing new. A revoked or superseded certificate is never reminded."""

import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.audit.services import audit_records
from cms.directory.access import holders_covering, province_of
from cms.directory.models import Membership, Role
from cms.outbox.models import NoticeKind
from cms.outbox.services import Mail, mail_enqueue
from submissions.models import AuditAction, Round
from submissions.ocop.models import Certificate
from submissions.ocop.scoring import scoring_rule
from submissions.review.notifications import link

#: The event of a certificate's reminder, one per certificate (the outbox never queues an event twice).
EVENT = "ocop-certificate-expiry:{code}"


@dataclass
class CertificateReminderReport:
    certificates: int = 0  # certificates reminded now
    notices: int = 0  # e-mails queued (new)


def certificates_due(today: datetime.date) -> QuerySet[Certificate]:
    """Current certificates not yet reminded whose ``valid_until - reminder_days <= today`` (the reminder days of
    the rule frozen with their round's set version). Two queries whatever their number."""
    candidates = Certificate.objects.current(today).filter(reminder_sent_at__isnull=True)
    rounds = Round.objects.filter(pk__in=candidates.values("submission__round_id")).select_related("criteria_version")
    windows = [
        Q(
            submission__round_id=round_.pk,
            valid_until__lte=today + datetime.timedelta(days=scoring_rule(round_).reminder_days),
        )
        for round_ in rounds
    ]
    if not windows:
        return Certificate.objects.none()
    return (
        candidates.filter(functools.reduce(operator.or_, windows))
        .select_related("product__producer__commune", "decision", "submission__round")
        .order_by("valid_until", "pk")
    )


def _body(certificate: Certificate, today: datetime.date) -> str:
    producer = certificate.product.producer
    left = (certificate.valid_until - today).days
    return "\n\n".join(
        [
            _(
                "Giấy chứng nhận sản phẩm OCOP %(stars)s sao của sản phẩm “%(product)s” (%(producer)s, %(commune)s), "
                "theo quyết định số %(number)s ngày %(date)s, hết hiệu lực ngày %(until)s (còn %(left)s ngày)."
            )
            % {
                "stars": certificate.stars,
                "product": certificate.product.name,
                "producer": producer.name,
                "commune": producer.commune.name,
                "number": certificate.decision.number,
                "date": certificate.decision.date.strftime("%d/%m/%Y"),
                "until": certificate.valid_until.strftime("%d/%m/%Y"),
                "left": max(left, 0),
            },
            _("Để giữ hạng sao sau ngày này, chủ thể lập hồ sơ đánh giá lại sản phẩm trong đợt đánh giá OCOP tới."),
            _("Xem giấy chứng nhận: %(link)s")
            % {"link": link(reverse("ocop_recognition:print", kwargs={"code": certificate.code}))},
        ]
    )


@transaction.atomic
def certificate_reminders_send(*, today: datetime.date | None = None) -> CertificateReminderReport:
    """Queue the reminders of :func:`certificates_due` (see the module) and mark those certificates reminded."""
    today = today or timezone.localdate()
    due = list(certificates_due(today).select_for_update(of=("self",)))
    report = CertificateReminderReport(certificates=len(due))
    if not due:
        return report
    accounts = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.PRODUCER, producer_id__in={certificate.product.producer_id for certificate in due}
    ).select_related("user"):
        accounts[membership.producer_id].append(membership.user)
    offices = holders_covering(Role.OFFICE_EDITOR, {certificate.product.producer.commune for certificate in due})
    subject = _("[OCOP] Giấy chứng nhận sản phẩm OCOP sắp hết hiệu lực")
    mails = []
    for certificate in due:
        producer = certificate.product.producer
        people = {user.pk: user for user in accounts[producer.pk] + offices[producer.commune_id]}
        body = _body(certificate, today)
        mails.extend(
            Mail(
                user.email,
                subject,
                body,
                user=user,
                province_codes=(province_of(producer.commune),),
                event=EVENT.format(code=certificate.code),
            )
            for user in people.values()
            if user.email and user.is_active
        )
    report.notices = mail_enqueue(kind=NoticeKind.REMINDER, mails=mails)
    now = timezone.now()
    Certificate.objects.filter(pk__in=[certificate.pk for certificate in due]).update(reminder_sent_at=now)
    audit_records(
        entries=[
            {
                "subject": certificate.submission,
                "action": AuditAction.CERTIFICATE_REMINDED,
                "after": {"valid_until": certificate.valid_until.isoformat(), "reminded_on": today.isoformat()},
            }
            for certificate in due
        ]
    )
    return report
