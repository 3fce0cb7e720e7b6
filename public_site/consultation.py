"""A commune's public consultation as the public reads it: the appraised result marked "đang lấy ý kiến — chưa
công nhận", the published comments and answers, the comment form and the satisfaction survey.

This is the one deliberate exception to "recognised and published only" (:mod:`public_site.selectors`): from the day
the office's consultation opens, and after it ends, the commune page shows the appraised verdict per criterion (the
indicators' values only when the office ticked ``show_values``), never evidence, never a commenter's name or contact.
Before it opens nothing of the submission is shown. Which consultations are public is
:func:`submissions.access.public_consultation_q`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cms.directory.models import Unit
from submissions.consultation import selectors
from submissions.consultation.forms import HONEYPOT_FIELD, CommentForm
from submissions.consultation.models import Consultation
from submissions.consultation.selectors import PublicConsultation
from submissions.consultation.services import comment_max_length
from submissions.consultation.views import SECTION_ANCHOR, SENT_PARAMETER
from submissions.models import Basis
from submissions.reports import statistics


@dataclass
class CommuneConsultation:
    """What the commune page's section shows (``view``) and the comment form it offers while the period runs."""

    view: PublicConsultation
    form: CommentForm | None
    action_url: str
    max_length: int
    retention_days: int
    honeypot: str = HONEYPOT_FIELD
    anchor: str = SECTION_ANCHOR
    sent_parameter: str = SENT_PARAMETER

    @property
    def consultation(self):
        """The consultation itself (the survey's inclusion tag reads it)."""
        return self.view.consultation


def commune_consultation(unit: Unit) -> CommuneConsultation | None:
    """The consultation shown on ``unit``'s public page (None when none is public), in at most four queries.

    Which consultation is public (usually none) is kept in the statistics cache under the published results version
    and the day (a consultation becomes public on its first day), so a page without one reads nothing more: every
    change of a consultation, its comments or its submission replaces that version (``results_changed``)."""
    today = timezone.localdate()
    consultation_id = statistics.cached(
        "public_consultation",
        basis=Basis.PUBLISHED,
        arguments=(unit.pk, today.isoformat()),
        compute=lambda: _public_consultation_id(unit.pk, today),
    )
    if consultation_id is None:
        return None
    consultation = selectors.public_consultation_of_unit(unit.pk, today)
    if consultation is None or consultation.pk != consultation_id:
        return None
    view = selectors.public_view(consultation)
    return CommuneConsultation(
        view=view,
        form=CommentForm() if view.is_open else None,
        action_url=reverse("consultation:comment", args=[consultation.pk]),
        max_length=comment_max_length(),
        retention_days=settings.CONSULTATION_CONTACT_RETENTION_DAYS,
    )


def _public_consultation_id(unit_id: int, today) -> int | None:
    consultation: Consultation | None = selectors.public_consultation_of_unit(unit_id, today)
    return consultation.pk if consultation is not None else None
