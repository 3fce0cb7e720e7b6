"""Reads of the office's recognition screen: the round's dossiers waiting for a decision, ranked by the council's
score; the five-star proposals waiting for the national decision; the recognised products with their
certificates; the round's decisions. A fixed number of queries, however many products."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from criteria_pages.spec import ScoringRule
from submissions import access
from submissions.models import Round, RoundSubject, Submission, SubmissionStatus
from submissions.ocop.models import Certificate, CertificateStatus, RecognitionDecision
from submissions.ocop.scoring import scoring_rule

#: The star that stands for one star (the public catalogue shows the same mark).
STAR = "★"


def stars_mark(stars: int | None) -> str:
    return STAR * (stars or 0)


def recognition_rounds(user) -> QuerySet[Round]:
    """The product rounds whose products ``user`` recognises (the office of their province), newest first, each
    with how many dossiers wait for a decision."""
    return (
        access.rounds_managed_by(user)
        .filter(subject=RoundSubject.PRODUCT)
        .annotate(
            waiting=Count("submissions", filter=Q(submissions__status=SubmissionStatus.RECOGNITION)),
            recognised=Count("submissions", filter=Q(submissions__status=SubmissionStatus.RECOGNISED)),
        )
        .order_by("-period_start", "-pk")
    )


def _dossiers(user, round_: Round) -> QuerySet[Submission]:
    return (
        access.submissions_visible_to(user)
        .filter(round=round_, product__isnull=False)
        .select_related("round", "unit", "product__producer__commune", "product__group", "council_entry")
    )


@dataclass
class WaitingRow:
    """A dossier waiting for recognition, as the office's list shows it."""

    rank: int
    submission: Submission
    tickable: bool  # recognised by the province (at least the minimum stars, below the national level)
    note: str  # why it cannot be ticked

    @property
    def entry(self):
        return getattr(self.submission, "council_entry", None)

    @property
    def stars_mark(self) -> str:
        return stars_mark(self.submission.stars)


def _waiting_note(submission: Submission, rule: ScoringRule) -> str:
    if submission.stars is None or submission.stars < rule.min_recognised_stars:
        return _("Chưa đạt %(stars)s sao: không được công nhận.") % {"stars": rule.min_recognised_stars}
    if submission.stars >= rule.national_stars:
        return _("Đề nghị Trung ương công nhận.")
    return ""


def waiting(user, round_: Round) -> list[WaitingRow]:
    """The round's dossiers waiting for recognition, ranked by the council's score (highest first)."""
    rule = scoring_rule(round_)
    dossiers = _dossiers(user, round_).filter(status=SubmissionStatus.RECOGNITION).order_by("-points", "product__name")
    rows = []
    for rank, submission in enumerate(dossiers, start=1):
        note = _waiting_note(submission, rule)
        rows.append(WaitingRow(rank=rank, submission=submission, tickable=not note, note=note))
    return rows


def waiting_submissions(user, round_: Round, ids: list[int]) -> list[Submission]:
    """The dossiers ``ids`` of the round that wait for recognition and ``user`` may see, in the order given."""
    found = {
        submission.pk: submission
        for submission in _dossiers(user, round_).filter(status=SubmissionStatus.RECOGNITION, pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def recognised(user, round_: Round) -> list[Submission]:
    """The round's recognised product dossiers with their certificate and its decision, by stars then score; each
    with its ``stars_mark``."""
    dossiers = list(
        _dossiers(user, round_)
        .filter(status=SubmissionStatus.RECOGNISED)
        .select_related("certificate__decision")
        .order_by("-stars", "-points", "product__name")
    )
    for submission in dossiers:
        submission.stars_mark = stars_mark(submission.stars)
    return dossiers


def recognised_submissions(user, round_: Round, ids: list[int]) -> list[Submission]:
    found = {
        submission.pk: submission
        for submission in _dossiers(user, round_).filter(status=SubmissionStatus.RECOGNISED, pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def decisions(round_: Round) -> QuerySet[RecognitionDecision]:
    """The round's decisions (province and national), newest first, each with its number of certificates."""
    return RecognitionDecision.objects.filter(round=round_).annotate(count=Count("certificates"))


def certificate_for_print(user, code) -> Certificate | None:
    """The certificate ``code`` if ``user`` may print it (the producer its own, the office its province's)."""
    return (
        access.certificates_visible_to(user)
        .select_related("product__producer__commune", "product__group", "decision__issuer", "submission__round")
        .filter(code=code)
        .first()
    )


def public_certificate(code) -> Certificate | None:
    """The certificate ``code`` when the public may see it (current, recognised and published), or None."""
    return (
        Certificate.objects.public()
        .select_related("product__producer__commune", "product__group", "decision")
        .filter(code=code)
        .first()
    )


def is_current(certificate: Certificate) -> bool:
    return certificate.status == CertificateStatus.CURRENT
