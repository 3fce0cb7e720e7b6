"""Builders of the consultation tests: a consultation opened through the service (today, for a month) and
residents' comments written straight to the table (at a given time, from a given address)."""

import datetime

from django.utils import timezone

import factory

from submissions.consultation import services
from submissions.consultation.models import Comment, CommentStatus

#: Marks of what must never reach the public: a commenter's name and contact, evidence, notes.
SECRET_NAME = "Nguyễn Bí Mật"
SECRET_CONTACT = "0909-LIEN-HE-KIN"
#: Marks of the submission's private data: the value of 2.2 (shown only with show_values), a note, an evidence file.
VALUE_MARK = "9876.5"
#: How the public reads it (the decimal comma, the thousands dot, the unit).
VALUE_SHOWN = "9.876,5 km"
NOTE_MARK = "GHI-CHU-KIN"
EVIDENCE_MARK = "MINH-CHUNG-KIN"


def open_consultation(submission, office, *, starts_in: int = 0, days: int = 30, show_values: bool = False):
    """``office`` opens ``submission``'s consultation from today (+ ``starts_in`` days) for ``days`` days."""
    today = timezone.localdate()
    start = today + datetime.timedelta(days=starts_in)
    return services.consultation_open(
        submission=submission,
        user=office,
        opens_on=start,
        closes_on=start + datetime.timedelta(days=days),
        show_values=show_values,
    )


class CommentFactory(factory.django.DjangoModelFactory):
    """A resident's comment (pending unless told), with a name and a contact that are never published."""

    class Meta:
        model = Comment

    body = factory.Sequence(lambda n: f"Ý kiến số {n} về đường giao thông")
    author_name = SECRET_NAME
    contact = SECRET_CONTACT
    address_hash = factory.LazyFunction(lambda: services.address_hash("10.0.0.9"))
    status = CommentStatus.PENDING


def published_comment(consultation, **kwargs) -> Comment:
    return CommentFactory(consultation=consultation, status=CommentStatus.APPROVED, **kwargs)
