"""E-mail backends that fail, for the outbox's tests (set with ``settings.EMAIL_BACKEND``): real backends that
Django's ``get_connection`` loads, delivering into ``mail.outbox`` when they do deliver."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuses the first ``failures`` messages (the mail server drops the connection), then delivers."""

    failures = 3
    refused = 0

    def send_messages(self, messages):
        if FlakyBackend.refused < FlakyBackend.failures:
            FlakyBackend.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class DeadServerBackend(EmailBackend):
    """A mail server that never answers."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")
