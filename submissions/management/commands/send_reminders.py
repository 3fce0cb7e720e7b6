"""``manage.py send_reminders``: today's reminders of due and overdue stages (:mod:`submissions.reminders`) and of
OCOP certificates about to end (:mod:`submissions.ocop.recognition.reminders`), queued in the outbox. Run once a day
by the scheduler (cron or a systemd timer); running it again the same day sends nothing new."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from submissions import reminders
from submissions.ocop.recognition.reminders import certificate_reminders_send


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn: hồ sơ xã sắp hết hạn nộp, hồ sơ chờ xét duyệt quá hạn, "
        "giấy chứng nhận OCOP sắp hết hiệu lực."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day of the reminders, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--due-days", type=int, default=None, help="Days before the round's due date (default: REMINDER_DUE_DAYS)."
        )
        parser.add_argument(
            "--stage-days", type=int, default=None, help="Days a review stage may take (default: REVIEW_STAGE_DAYS)."
        )

    def handle(self, *args, date=None, due_days=None, stage_days=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        report = reminders.reminders_send(
            today=today,
            due_days=settings.REMINDER_DUE_DAYS if due_days is None else due_days,
            stage_days_limit=stage_days,
        )
        certificates = certificate_reminders_send(today=today)
        self.stdout.write(
            f"{report.due} submission(s) due, {report.overdue} overdue at a review stage; "
            f"{report.notices} reminder(s) queued."
        )
        self.stdout.write(
            f"{certificates.certificates} OCOP certificate(s) about to end; {certificates.notices} reminder(s) queued."
        )
