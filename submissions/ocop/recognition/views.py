"""The office's recognition screen of a product round (``/ocop/cong-nhan/<round>/``), the printable certificate
(``/ocop/chung-nhan/<code>/in/``) and the public check the certificate's QR code opens
(``/ocop/chung-nhan/<code>/``).

The office ticks the products its council ranked (at least the rule's minimum stars, below the national level)
and records one decision for them; five-star proposals wait for the national decision, recorded below; recognised
products are published (the engine's one bulk publish) and their certificates printed or revoked. Every object
reached by id is looked up through :mod:`submissions.access` (404 when not visible; 403 for a visible object the
caller may not change)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.input import FORBIDDEN_MESSAGE, forbidden_fields
from cms.people.services import public_base_url
from submissions import access
from submissions.errors import SubmissionError
from submissions.models import Round, RoundSubject
from submissions.ocop.certificates import certificate_revoke, national_recognition_record, products_recognise
from submissions.ocop.recognition import selectors
from submissions.ocop.recognition.forms import DecisionForm, RevokeForm
from submissions.ocop.recognition.links import product_public_url
from submissions.ocop.recognition.qr import qr_svg
from submissions.ocop.scoring import scoring_rule
from submissions.review import bulk

#: The prefix of the national decision's fields (both decision forms share the screen).
NATIONAL_PREFIX = "tw"


def _round_or_404(request, round_id: int) -> Round:
    """A product round whose products the caller recognises (the office of its province); 404 for any other."""
    return get_object_or_404(access.rounds_managed_by(request.user).filter(subject=RoundSubject.PRODUCT), pk=round_id)


def _ticked(post) -> list[int]:
    return list(dict.fromkeys(int(value) for value in post.getlist("submission") if value.isdigit()))[: bulk.BULK_MAX]


@login_required
@require_GET
def index(request):
    """The product rounds of the office's provinces, with what waits for a decision."""
    if not access.reviews_as_office(request.user):
        raise Http404
    return render(
        request, "submissions/ocop/recognition/index.html", {"rounds": selectors.recognition_rounds(request.user)}
    )


def _screen(request, round_: Round, *, form=None, national_form=None, refusals=(), ticked=(), status=200):
    rule = scoring_rule(round_)
    rows = selectors.waiting(request.user, round_)
    recognised = selectors.recognised(request.user, round_)
    return render(
        request,
        "submissions/ocop/recognition/round.html",
        {
            "round": round_,
            "rule": rule,
            "rows": [row for row in rows if (row.submission.stars or 0) < rule.national_stars],
            "national_rows": [row for row in rows if (row.submission.stars or 0) >= rule.national_stars],
            "recognised": recognised,
            "unpublished": [submission for submission in recognised if not submission.published],
            "decisions": selectors.decisions(round_),
            "form": form or DecisionForm(),
            "national_form": national_form or DecisionForm(prefix=NATIONAL_PREFIX),
            "revoke_form": RevokeForm(),
            "refusals": refusals,
            "ticked": set(ticked),
            "star": selectors.STAR,
        },
        status=status,
    )


@login_required
@require_GET
def round_screen(request, round_id: int):
    return _screen(request, _round_or_404(request, round_id))


def _refusal_lines(outcomes) -> list[str]:
    return [
        f"{outcome.submission.subject_name}: {outcome.message}" if outcome.submission is not None else outcome.message
        for outcome in outcomes
        if not outcome.done
    ]


def _missing_lines(ids: list[int], found: list) -> list[str]:
    present = {submission.pk for submission in found}
    return [_("Không tìm thấy hồ sơ %(id)s trong danh sách chờ.") % {"id": pk} for pk in ids if pk not in present]


def _decide(request, round_id: int, *, national: bool):
    """Record a decision for the ticked dossiers: the province's, or the national one (five stars)."""
    round_ = _round_or_404(request, round_id)
    if not access.may_recognise_products(request.user, round_):
        raise PermissionDenied
    form = DecisionForm(request.POST, request.FILES, prefix=NATIONAL_PREFIX if national else None)
    forms_ = {"national_form": form} if national else {"form": form}
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return _screen(request, round_, status=400)
    ids = _ticked(request.POST)
    if not form.is_valid() or not ids:
        if not ids:
            messages.error(request, _("Chưa chọn sản phẩm nào."))
        return _screen(request, round_, ticked=ids, **forms_)
    chosen = selectors.waiting_submissions(request.user, round_, ids)
    missing = _missing_lines(ids, chosen)
    try:
        arguments = form.service_arguments()
        if national:
            decision, outcomes = national_recognition_record(
                round_=round_, submissions=chosen, user=request.user, **arguments
            )
        else:
            decision, outcomes = products_recognise(
                round_=round_,
                submissions=chosen,
                user=request.user,
                decision_number=arguments["number"],
                decision_date=arguments["date"],
                document=arguments["document"],
            )
    except SubmissionError as error:
        messages.error(request, error.message)
        return _screen(request, round_, ticked=ids, **forms_)
    refusals = missing + _refusal_lines(outcomes)
    if decision is None:
        # Nothing was recognised: the page again, with what was typed and why each product was refused.
        messages.error(request, _("Không sản phẩm nào được công nhận; quyết định chưa được ghi."))
        return _screen(request, round_, refusals=refusals, ticked=ids, **forms_)
    done = sum(outcome.done for outcome in outcomes)
    messages.success(
        request,
        _("Đã công nhận %(count)s sản phẩm theo quyết định số %(number)s ngày %(date)s; đã cấp giấy chứng nhận.")
        % {"count": done, "number": decision.number, "date": decision.date.strftime("%d/%m/%Y")},
    )
    for line in refusals:
        messages.error(request, line)
    return redirect("ocop_recognition:round", round_id=round_.pk)


@login_required
@require_POST
def recognise(request, round_id: int):
    return _decide(request, round_id, national=False)


@login_required
@require_POST
def national(request, round_id: int):
    return _decide(request, round_id, national=True)


@login_required
@require_POST
def publish(request, round_id: int):
    """Publish (``published=1``) or withdraw (``0``) the ticked recognised products, through the engine's bulk
    publish: the public catalogue then shows (or stops showing) them."""
    round_ = _round_or_404(request, round_id)
    if not access.may_recognise_products(request.user, round_):
        raise PermissionDenied
    ids = _ticked(request.POST)
    if not ids:
        messages.error(request, _("Chưa chọn sản phẩm nào."))
        return redirect("ocop_recognition:round", round_id=round_.pk)
    published = request.POST.get("published", "1") != "0"
    chosen = selectors.recognised_submissions(request.user, round_, ids)
    outcomes = bulk.submissions_publish(submissions=chosen, user=request.user, published=published)
    done = sum(outcome.done for outcome in outcomes)
    if done:
        message = _("Đã công khai %(count)s sản phẩm.") if published else _("Đã thôi công khai %(count)s sản phẩm.")
        messages.success(request, message % {"count": done})
    for line in _missing_lines(ids, chosen) + _refusal_lines(outcomes):
        messages.error(request, line)
    return redirect("ocop_recognition:round", round_id=round_.pk)


@login_required
@require_POST
def revoke(request, code):
    """The office revokes a certificate with a reason (a producer sees its own certificate but may not: 403)."""
    certificate = selectors.certificate_for_print(request.user, code)
    if certificate is None:
        raise Http404
    if not access.is_office_for(request.user, certificate.submission):
        raise PermissionDenied
    back = redirect("ocop_recognition:round", round_id=certificate.submission.round_id)
    form = RevokeForm(request.POST)
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return back
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        certificate_revoke(certificate=certificate, user=request.user, reason=form.cleaned_data["reason"])
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã thu hồi giấy chứng nhận của sản phẩm %(product)s.") % {"product": certificate.product.name}
        )
    return back


def check_url(request, certificate) -> str:
    """The absolute address the certificate's QR code opens (the site's public address when it is set)."""
    return public_base_url(request) + reverse("ocop_recognition:check", kwargs={"code": certificate.code})


@login_required
@require_GET
def certificate_print(request, code):
    """The certificate on one A4 page, with its QR code: the producer's own, the office's province's."""
    certificate = selectors.certificate_for_print(request.user, code)
    if certificate is None:
        raise Http404
    url = check_url(request, certificate)
    return render(
        request,
        "submissions/ocop/recognition/certificate_print.html",
        {
            "certificate": certificate,
            "product": certificate.product,
            "producer": certificate.product.producer,
            "decision": certificate.decision,
            "stars_mark": selectors.stars_mark(certificate.stars),
            "current": selectors.is_current(certificate),
            "check_url": url,
            "qr": qr_svg(url, title=_("Mã QR kiểm tra giấy chứng nhận")),
            "may_revoke": selectors.is_current(certificate)
            and access.is_office_for(request.user, certificate.submission),
        },
    )


@require_GET
def certificate_check(request, code):
    """What the QR code opens, for anyone: the product's public page when the catalogue knows it, else a plain page
    saying the certificate is valid and until when. A certificate the public may not see: 404."""
    certificate = selectors.public_certificate(code)
    if certificate is None:
        raise Http404
    url = product_public_url(certificate.product)
    if url:
        return redirect(url)
    return render(
        request,
        "submissions/ocop/recognition/certificate_check.html",
        {
            "certificate": certificate,
            "product": certificate.product,
            "producer": certificate.product.producer,
            "stars_mark": selectors.stars_mark(certificate.stars),
        },
    )
