"""The office's admin pages of the registration: periods (open, close), the registrations of its province (filters,
approve or return with a comment), and the plan's dashboard (registered vs reached) with its xlsx.

Who reads or acts is :mod:`submissions.access`: an office editor its province's; a national reader reads every
province's and acts on none; anyone else is refused. An id outside the caller's scope is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from submissions import access
from submissions.errors import SubmissionError

from . import exports, selectors, services
from .forms import DecisionForm, PeriodForm, RegistrationFilterSet
from .models import PeriodStatus, RegistrationStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _require_reader(request) -> None:
    if not access.reads_registrations(request.user):
        raise PermissionDenied


def registration_list(request):
    """The registrations of the office's province, filtered by status, title, district, period and year."""
    _require_reader(request)
    periods = access.registration_periods_in_admin_for(request.user)
    provinces = access.registration_provinces_readable_by(request.user)
    filterset = RegistrationFilterSet(
        request.GET or None,
        queryset=selectors.registrations_listed(access.registrations_in_admin_for(request.user)),
        periods=periods,
        provinces=provinces,
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "manages": access.registration_provinces_managed_by(request.user).exists(),
    }
    return render(request, "submissions/registration/admin/list.html", context)


def registration_detail(request, pk: int):
    """One registration, its files, and (for the office of its province, while it waits) approve or return."""
    _require_reader(request)
    registration = get_object_or_404(access.registrations_in_admin_for(request.user), pk=pk)
    decides = (
        access.may_decide_registration(request.user, registration)
        and registration.status == RegistrationStatus.SUBMITTED
    )
    status = 200
    form = None
    if decides:
        form = DecisionForm(request.POST or None, initial={"lock_version": registration.lock_version})
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        if form.is_valid():
            arguments = {
                "registration": registration,
                "user": request.user,
                "comment": form.cleaned_data["comment"],
                "expected_version": form.cleaned_data["lock_version"],
            }
            try:
                if form.cleaned_data["decision"] == DecisionForm.APPROVE:
                    services.registration_approve(**arguments)
                    messages.success(request, _("Đã duyệt đăng ký của %(unit)s.") % {"unit": registration.unit.name})
                else:
                    services.registration_return(**arguments)
                    messages.success(
                        request, _("Đã trả lại đăng ký của %(unit)s để sửa.") % {"unit": registration.unit.name}
                    )
            except SubmissionError as error:
                form.add_error("comment" if "comment" in error.details else None, error.message)
                status = 409 if error.code in ("conflict", "locked") else 400
            else:
                return redirect("registration_admin:detail", registration.pk)
        else:
            status = 400
    context = {
        "registration": registration,
        "files": list(registration.files.all()),
        "form": form,
        "history": selectors.registration_history(registration),
    }
    return render(request, "submissions/registration/admin/detail.html", context, status=status)


def period_list(request):
    """The periods of the office's province with their counts; the office opens a new one here."""
    _require_reader(request)
    provinces = access.registration_provinces_managed_by(request.user)
    manages = provinces.exists()
    status = 200
    form = PeriodForm(request.POST or None, provinces=provinces) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.period_open(
                    province=form.cleaned_data["province"],
                    name=form.cleaned_data["name"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    user=request.user,
                )
            except SubmissionError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Đã mở đợt đăng ký “%(name)s”.") % {"name": period.name})
                return redirect("registration_admin:periods")
        else:
            status = 400
    periods = access.registration_periods_in_admin_for(request.user).annotate(
        total=Count("registrations"),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.SUBMITTED)),
        approved=Count("registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)),
    )
    managed = set(access.registration_periods_managed_by(request.user).values_list("pk", flat=True))
    rows = [{"period": period, "closable": period.pk in managed} for period in periods]
    context = {"rows": rows, "form": form, "open_status": PeriodStatus.OPEN}
    return render(request, "submissions/registration/admin/periods.html", context, status=status)


@require_POST
def period_close(request, pk: int):
    period = get_object_or_404(access.registration_periods_managed_by(request.user), pk=pk)
    try:
        services.period_close(period=period, user=request.user)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã đóng đợt đăng ký “%(name)s”.") % {"name": period.name})
    return redirect("registration_admin:periods")


def _plan_of(request):
    """The plan asked for: the province (``?province=<id>``, by default the first the user reads) and the year
    (``?year=``, by default this year), within what the user reads (404 outside)."""
    _require_reader(request)
    provinces = list(access.registration_provinces_readable_by(request.user).order_by("name", "edition__date"))
    raw = request.GET.get("province", "")
    chosen = [province for province in provinces if raw and str(province.pk) == raw] if raw else provinces[:1]
    if not chosen:
        raise Http404(_("Không có tỉnh này, hoặc bạn không được xem kế hoạch của tỉnh này."))
    province = chosen[0]
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else timezone.localdate().year
    return provinces, selectors.registration_plan(province=province, year=year)


def plan_dashboard(request):
    """Registered vs reached, by title and by district (by province in the two-tier world)."""
    provinces, plan = _plan_of(request)
    context = {
        "plan": plan,
        "provinces": provinces if len(provinces) > 1 else [],
        "years": selectors.plan_years(plan.province),
        "sentence": exports.plan_sentence(plan),
    }
    return render(request, "submissions/registration/admin/plan.html", context)


def plan_xlsx(request):
    _provinces, plan = _plan_of(request)
    response = HttpResponse(exports.export_plan(plan), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.plan_filename(plan)}"'
    return response
