"""The commune's pages of the registration (outside the admin, phone-friendly like its form): its registrations and
the open periods, register, edit and resubmit, download a file.

Who sees what is :mod:`submissions.access`: a commune officer reaches only its commune's registrations (a district
reviewer, in the three-tier world, its district's); anyone else's is a 404. Files are private: served through the
permission check, never from a public address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.storage import private_file_response
from submissions import access
from submissions.errors import SubmissionError

from . import selectors, services
from .forms import RegistrationForm
from .models import PeriodStatus


def _registrant_units(request):
    units = access.registration_units_of(request.user)
    if not units:
        raise Http404(_("Trang này dành cho cán bộ xã đăng ký danh hiệu."))
    return units


@login_required
def registration_list(request):
    """The commune's registrations (each with its state and the office's comment) and the periods open now."""
    _registrant_units(request)
    today = timezone.localdate()
    registrations = selectors.registrations_listed(access.registrations_of_registrant(request.user))
    periods = access.registration_periods_of_registrant(request.user).filter(
        status=PeriodStatus.OPEN, opens_on__lte=today, closes_on__gte=today
    )
    context = {"registrations": registrations, "periods": periods.order_by("closes_on")}
    return render(request, "submissions/registration/list.html", context)


def _apply_form_errors(form, error: SubmissionError) -> None:
    fields = [name for name in error.details if isinstance(name, str) and name in form.fields]
    form.add_error(fields[0] if fields else None, error.message)


@login_required
def registration_create(request, period_pk: int):
    """Register a target in an open period of the officer's province."""
    units = _registrant_units(request)
    period = get_object_or_404(access.registration_periods_of_registrant(request.user), pk=period_pk)
    refusal = services.period_refusal(period)
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES, units=units)
        if refusal:
            messages.error(request, refusal)
            status = 409
        elif form.is_valid():
            try:
                registration = services.registration_submit(
                    period=period,
                    unit=form.cleaned_data["unit"],
                    kind=form.cleaned_data["kind"],
                    target_year=form.cleaned_data["target_year"],
                    plan=form.cleaned_data["plan"],
                    uploads=form.cleaned_data["files"],
                    user=request.user,
                )
            except SubmissionError as error:
                _apply_form_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Đã gửi đăng ký. Văn phòng Điều phối sẽ xem xét và báo lại."))
                return redirect("registration:detail", registration.pk)
        else:
            status = 400
    else:
        form = RegistrationForm(units=units)
        if refusal:
            messages.error(request, refusal)
    context = {"form": form, "period": period, "refusal": refusal}
    return render(request, "submissions/registration/form.html", context, status=status)


@login_required
def registration_detail(request, pk: int):
    """One registration: read it, and while it waits or was returned, edit it (a returned one is resubmitted)."""
    registration = get_object_or_404(access.registrations_of_registrant(request.user), pk=pk)
    editable = registration.status in services.EDITABLE and registration.period.status == PeriodStatus.OPEN
    status = 200
    initial = {
        "unit": registration.unit_id,
        "kind": registration.kind,
        "target_year": registration.target_year,
        "plan": registration.plan,
        "lock_version": registration.lock_version,
    }
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES, units=[], registration=registration, initial=initial)
        if not editable:
            messages.error(request, _("Đăng ký này không sửa được (đã duyệt hoặc đợt đăng ký đã đóng)."))
            status = 409
        elif form.is_valid():
            try:
                services.registration_update(
                    registration=registration,
                    kind=form.cleaned_data["kind"],
                    target_year=form.cleaned_data["target_year"],
                    plan=form.cleaned_data["plan"],
                    uploads=form.cleaned_data["files"],
                    remove_files=[int(pk) for pk in request.POST.getlist("remove_file") if pk.isdigit()],
                    user=request.user,
                    expected_version=form.cleaned_data["lock_version"],
                )
            except SubmissionError as error:
                _apply_form_errors(form, error)
                status = 409 if error.code in ("conflict", "locked") else 400
            else:
                messages.success(request, _("Đã lưu và gửi lại đăng ký cho Văn phòng Điều phối."))
                return redirect("registration:detail", registration.pk)
        else:
            status = 400
    else:
        form = RegistrationForm(units=[], registration=registration, initial=initial)
    context = {
        "registration": registration,
        "files": list(registration.files.all()),
        "form": form,
        "editable": editable,
    }
    return render(request, "submissions/registration/detail.html", context, status=status)


@login_required
def registration_file(request, pk: int):
    """A registration's file, through the permission check (404 for anyone outside the unit and its office)."""
    item = get_object_or_404(access.registration_files_visible_to(request.user), pk=pk)
    return private_file_response(item.file, filename=item.original_name, content_type=item.content_type)
