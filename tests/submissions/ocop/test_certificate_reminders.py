"""Reminders before certificates end (``manage.py send_reminders``): on ``valid_until − reminder_days`` (the days of
the round's frozen rule, 90 by default), one e-mail per certificate to the producer's accounts and the province's
office, never the day before, never twice; a revoked certificate is never reminded."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command

from cms.audit.models import AuditEntry
from cms.outbox.models import Notice, NoticeKind
from criteria_pages.spec import ScoringRule
from submissions.models import AuditAction
from submissions.ocop.certificates import certificate_revoke, products_recognise
from submissions.ocop.models import Certificate
from submissions.ocop.recognition.reminders import certificate_reminders_send, certificates_due
from submissions.ocop.scoring import council_close
from submissions.review.bulk import submissions_publish
from tests.factories import shared_layer
from tests.submissions.ocop.factories import (
    ProductFactory,
    council_with,
    dossiers,
    ocop_version,
    product_round,
    scored,
)
from tests.submissions.ocop.recognition_world import closed_round, dossier

#: Decision of 01/03/2026: valid until 28/02/2029; 90 days before is 30/11/2028.
REMINDER_DAY = datetime.date(2028, 11, 30)


@shared_layer
def world(area):
    """The closed round with its 4-star (Hòa Thuận) and 3-star (Ea Wer) products recognised and published."""
    world = closed_round(area)
    submissions = [dossier(world, "Cà phê bột Hòa Thuận"), dossier(world, "Rượu cần Ea Wer")]
    products_recognise(
        round_=world["round"],
        submissions=submissions,
        user=area["office"],
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2026, 3, 1),
    )
    submissions_publish(
        submissions=[dossier(world, "Cà phê bột Hòa Thuận"), dossier(world, "Rượu cần Ea Wer")], user=area["office"]
    )
    return {
        **world,
        "four": Certificate.objects.get(product__name="Cà phê bột Hòa Thuận"),
        "three": Certificate.objects.get(product__name="Rượu cần Ea Wer"),
    }


def send(day: datetime.date) -> str:
    out = StringIO()
    call_command("send_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue()


def ocop_mails():
    return [message for message in mail.outbox if "[OCOP]" in message.subject]


def test_each_certificate_is_reminded_once_to_its_producer_and_the_office(world):
    mail.outbox.clear()
    assert "0 OCOP certificate(s) about to end" in send(REMINDER_DAY - datetime.timedelta(days=1))
    assert not ocop_mails()

    output = send(REMINDER_DAY)

    assert "2 OCOP certificate(s) about to end; 4 reminder(s) queued." in output
    to = sorted((message.to[0], "Cà phê bột" in message.body) for message in ocop_mails())
    assert to == [
        ("htx_eawer@example.org", False),
        ("htx_hoathuan@example.org", True),
        ("vanphong@example.org", False),
        ("vanphong@example.org", True),
    ]
    message = next(m for m in ocop_mails() if m.to == ["htx_hoathuan@example.org"])
    assert message.subject == "[OCOP] Giấy chứng nhận sản phẩm OCOP sắp hết hiệu lực"
    assert "“Cà phê bột Hòa Thuận” (Hợp tác xã Cà phê Hòa Thuận, Xã Hòa Thuận)" in message.body
    assert "hết hiệu lực ngày 28/02/2029 (còn 90 ngày)" in message.body
    assert f"/ocop/chung-nhan/{world['four'].code}/in/" in message.body
    assert Notice.objects.filter(kind=NoticeKind.REMINDER, provinces__code="66").count() == 4
    assert not Certificate.objects.filter(reminder_sent_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action=AuditAction.CERTIFICATE_REMINDED).count() == 2

    assert "0 OCOP certificate(s) about to end; 0 reminder(s) queued." in send(REMINDER_DAY)  # again: nothing
    send(REMINDER_DAY + datetime.timedelta(days=10))  # and on later days neither
    assert len(ocop_mails()) == 4
    assert AuditEntry.objects.filter(action=AuditAction.CERTIFICATE_REMINDED).count() == 2


def test_a_revoked_certificate_is_never_reminded_and_leaves_the_public_check(client, world):
    assert client.get(f"/ocop/chung-nhan/{world['three'].code}/").status_code == 200
    certificate_revoke(certificate=world["three"], user=world["office"], reason="Vi phạm chất lượng.")
    mail.outbox.clear()

    report = certificate_reminders_send(today=REMINDER_DAY)

    assert (report.certificates, report.notices) == (1, 2)
    assert all("Rượu cần" not in message.body for message in ocop_mails())
    assert Certificate.objects.get(pk=world["three"].pk).reminder_sent_at is None
    assert client.get(f"/ocop/chung-nhan/{world['three'].code}/").status_code == 404


def test_the_due_list_follows_the_rounds_frozen_reminder_days(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert list(certificates_due(REMINDER_DAY - datetime.timedelta(days=1))) == []
    with django_assert_max_num_queries(2):
        due = list(certificates_due(REMINDER_DAY))
    assert {certificate.pk for certificate in due} == {world["four"].pk, world["three"].pk}
    # An expired certificate is past reminding (it ended; re-evaluation is a new dossier).
    assert list(certificates_due(datetime.date(2029, 3, 1))) == []


def test_a_round_whose_rule_says_30_days_is_reminded_30_days_before(world, area):
    version = ocop_version(rule=ScoringRule(reminder_days=30), code="OCOP_THU_30")
    round_ = product_round(area["province"], version, office=area["office"], name="Đánh giá OCOP bổ sung 2026")
    (submission,) = dossiers(round_, [ProductFactory(producer=world["producer"], name="Trà mãng cầu")])
    council = council_with(round_, province=area["province"], name="Hội đồng bổ sung")
    scored(council, {submission: (80, 80, 80)}, office=area["office"])
    council_close(council=council, user=council.members.get(is_chair=True).user)
    submission.refresh_from_db()
    products_recognise(
        round_=round_,
        submissions=[submission],
        user=area["office"],
        decision_number="140/QĐ-UBND",
        decision_date=datetime.date(2026, 3, 1),
    )
    thirty = Certificate.objects.get(product__name="Trà mãng cầu")

    assert thirty.pk not in {c.pk for c in certificates_due(REMINDER_DAY)}  # 90 days before: the others only
    assert thirty.pk not in {c.pk for c in certificates_due(datetime.date(2029, 1, 28))}
    assert thirty.pk in {c.pk for c in certificates_due(datetime.date(2029, 1, 29))}  # 28/02/2029 − 30 days
