"""Writes for a producer's OCOP dossiers: starting one in an open product round. Everything after the start (values,
evidence, drafts, optimistic locking, submitting) is the engine's own form (``submissions.entry``, ``review.flow``)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cms.directory.access import scopes_of
from cms.directory.products.models import Product
from cms.errors import CONFLICT, FORBIDDEN, INVALID, WRONG_STATE
from submissions.audit import audit
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Round, RoundStatus, Submission, SubmissionStatus
from submissions.rounds.selectors import units_in_round_scope

#: The error code of a second dossier of the same product in the same round.
DUPLICATE = CONFLICT


def may_start_dossier(user, product: Product) -> bool:
    """The producer's own accounts start its products' dossiers (a superuser too); nobody else fills them."""
    scopes = scopes_of(user)
    return scopes.is_superuser or product.producer_id in scopes.producers()


def dossier_start_problem(*, product: Product, round_: Round) -> str:
    """Why ``product`` cannot enter ``round_`` now ("" when it can), before anything is written."""
    return _start_problem(product, round_)[0]


def _start_problem(product: Product, round_: Round) -> tuple[str, str]:
    """(message, error code) of why ``product`` cannot enter ``round_``; ("", "") when it can."""
    if not round_.evaluates_products:
        return _("Đợt “%(round)s” đánh giá đơn vị hành chính, không nhận hồ sơ sản phẩm OCOP.") % {
            "round": round_.name
        }, INVALID
    if round_.status != RoundStatus.OPEN:
        return _("Đợt “%(round)s” không mở nhận hồ sơ (đang ở trạng thái “%(status)s”).") % {
            "round": round_.name,
            "status": round_.get_status_display(),
        }, WRONG_STATE
    commune = product.producer.commune
    if not units_in_round_scope(round_).filter(pk=commune.pk).exists():
        return _("%(commune)s của chủ thể không thuộc phạm vi của đợt “%(round)s”.") % {
            "commune": commune.name,
            "round": round_.name,
        }, INVALID
    if Submission.objects.filter(round=round_, product=product).exists():
        return _("Sản phẩm “%(product)s” đã có hồ sơ trong đợt “%(round)s”.") % {
            "product": product.name,
            "round": round_.name,
        }, DUPLICATE
    return "", ""


@transaction.atomic
def dossier_start(*, product: Product, round_: Round, user) -> Submission:
    """Start ``product``'s dossier in ``round_``: a draft submission whose unit is the producer's commune (its scope
    for the office, the statistics and the public pages), audited. Refuses a unit round, a round that is not open, a
    commune outside the round's scope and a second dossier of the product in the round."""
    if not may_start_dossier(user, product):
        raise SubmissionError(_("Chỉ tài khoản của chủ thể mới lập được hồ sơ cho sản phẩm này."), code=FORBIDDEN)
    Round.objects.select_for_update().filter(pk=round_.pk).values_list("pk", flat=True).get()
    round_.refresh_from_db(fields=["status"])
    problem, code = _start_problem(product, round_)
    if problem:
        raise SubmissionError(problem, code=code)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                round=round_,
                unit=product.producer.commune,
                product=product,
                group="",
                status=SubmissionStatus.DRAFT,
                updated_by=user,
            )
    except IntegrityError as error:  # started at the same moment elsewhere
        raise SubmissionError(
            _("Sản phẩm “%(product)s” đã có hồ sơ trong đợt “%(round)s”.")
            % {"product": product.name, "round": round_.name},
            code=DUPLICATE,
        ) from error
    audit(
        round_=round_,
        submission=submission,
        action=AuditAction.DOSSIER_STARTED,
        user=user,
        after={"product": product.pk, "producer": product.producer_id, "unit": product.producer.commune_id},
    )
    return submission
