"""A slow e-mail backend for the multi-node test: before sending it leaves a mark (``sending/``, one file per
attempt, naming the process), waits ``MULTINODE_MAIL_DELAY`` seconds — long enough for the test to kill the worker
in the middle — then writes the messages into ``EMAIL_FILE_PATH`` as Django's file backend does."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends import filebased

#: Where the marks of attempts go, inside EMAIL_FILE_PATH (not a message file).
SENDING = "sending"


def delay() -> float:
    return float(os.environ.get("MULTINODE_MAIL_DELAY", "0"))


class SlowFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        marks = Path(self.file_path) / SENDING
        marks.mkdir(exist_ok=True)
        recipients = ",".join(sorted({address for message in email_messages for address in message.recipients()}))
        (marks / f"{os.getpid()}-{uuid.uuid4().hex}").write_text(recipients, encoding="utf-8")
        time.sleep(delay())
        return super().send_messages(email_messages)
