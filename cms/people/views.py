"""The office's pages for people (admin) and the public activation pages. They check access
(:mod:`cms.people.access`) and call the services; nothing more."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cms.audit.history import history_url
from cms.directory import services as directory_services
from cms.directory.models import Membership, Role, Unit, UnitLevel

from . import access, exports, importing, selectors, services
from .forms import ActivationCodeForm, ActivationForm, MembershipAddForm, PeopleImportForm, PersonCreateForm, PersonForm
from .importers import COLUMNS

PAGE_SIZE = 50


# --- the admin: the office's people -----------------------------------------------------------------------


def _require_manager(request) -> None:
    if not access.may_manage_people(request.user):
        raise PermissionDenied


def _provinces(user):
    """The provinces the viewer works for: their office's, or (a superuser) those of the newest edition."""
    if user.is_superuser:
        newest = Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("-edition__date").first()
        if newest is None:
            return Unit.objects.none()
        return Unit.objects.filter(level=UnitLevel.PROVINCE, edition_id=newest.edition_id).select_related("edition")
    return Unit.objects.filter(pk__in=[u.pk for u in access.office_province_units(user)]).select_related("edition")


def _province_for(request, person=None) -> Unit | None:
    """The province a person's memberships are granted in: the viewer's office (the person's office for a
    superuser)."""
    provinces = list(_provinces(request.user))
    if person is not None:
        code = getattr(getattr(person, "people_profile", None), "province_code", "")
        for province in provinces:
            if province.code == code:
                return province
    wanted = request.POST.get("province") or request.GET.get("province")
    for province in provinces:
        if str(province.pk) == wanted:
            return province
    return provinces[0] if len(provinces) == 1 or not request.user.is_superuser else None


def people_index(request):
    _require_manager(request)
    search, role, active = (request.GET.get(name, "").strip() for name in ("q", "role", "active"))
    queryset = selectors.people_list(access.people_visible_to(request.user), search=search, role=role, active=active)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    changeable = access.changeable_ids(request.user, page.object_list)
    return render(
        request,
        "people/index.html",
        {
            "page": page,
            "people": [(person, person.pk in changeable) for person in page.object_list],
            "search": search,
            "role": role,
            "active": active,
            "roles": Role.choices,
            "query": request.GET.urlencode(),
        },
    )


def people_export(request):
    _require_manager(request)
    people = list(
        selectors.people_list(
            access.people_visible_to(request.user),
            search=request.GET.get("q", "").strip(),
            role=request.GET.get("role", ""),
            active=request.GET.get("active", ""),
        )
    )
    data = exports.people_workbook(people, contact_ids=access.changeable_ids(request.user, people))
    response = HttpResponse(data, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="nguoi-dung.xlsx"'
    return response


def people_create(request):
    _require_manager(request)
    provinces = _provinces(request.user)
    province = _province_for(request)
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if province is None:
            form.add_error(None, _("Chọn tỉnh."))
        else:
            data = form.cleaned_data
            try:
                unit, department = services.scope_resolve(province=province, role=data["role"], code=data["scope"])
            except ValidationError as error:
                form.add_error("scope", error)
            else:
                return _create(request, form, province, unit, department)
    return render(
        request,
        "people/create.html",
        {"form": form, "provinces": provinces, "province": province},
        status=400 if form.is_bound else 200,
    )


def _create(request, form, province, unit, department):
    data = form.cleaned_data
    try:
        person = services.person_create(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            username=data["username"],
            province_code=province.code,
            memberships=[(data["role"], unit, department)],
            actor=request.user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return render(request, "people/create.html", {"form": form, "provinces": _provinces(request.user)}, status=400)
    if person.email:
        services.invitation_email_send(person=person, base_url=services.public_base_url(request), actor=request.user)
        messages.success(
            request,
            _("Đã tạo tài khoản %(username)s và gửi thư mời kích hoạt đến %(email)s.")
            % {"username": person.username, "email": person.email},
        )
    else:
        messages.success(
            request,
            _("Đã tạo tài khoản %(username)s. Người này không có e-mail: hãy in thư kích hoạt và trao tận tay.")
            % {"username": person.username},
        )
    return redirect("people_edit", pk=person.pk)


def people_edit(request, pk: int):
    """A person: their details (editable by their office), memberships, invitation state and actions."""
    _require_manager(request)
    person = access.person_to_view(request.user, pk)
    changeable = access.may_change_person(request.user, person)
    person = selectors.people_with_details(type(person).objects.filter(pk=person.pk)).get()
    profile = getattr(person, "people_profile", None)
    initial = {"full_name": person.get_full_name(), "email": person.email, "phone": profile.phone if profile else ""}
    form = PersonForm(request.POST or None, initial=initial) if changeable else None
    if request.method == "POST":
        if not changeable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.person_update(person=person, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": person.get_full_name()})
                return redirect("people_edit", pk=person.pk)
    return render(
        request,
        "people/edit.html",
        {
            "person": person,
            "profile": profile,
            "form": form,
            "changeable": changeable,
            "shows_contact": access.shows_contact(request.user, person, changeable=changeable),
            "membership_form": MembershipAddForm() if changeable else None,
            "provinces": _provinces(request.user) if request.user.is_superuser else None,
            "invitation": person.invitation_list[0] if person.invitation_list else None,
            "history_url": history_url(person),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
def people_membership_add(request, pk: int):
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    form = MembershipAddForm(request.POST)
    province = _province_for(request, person)
    if not form.is_valid() or province is None:
        messages.error(request, _("Chọn vai trò và nhập phạm vi."))
        return redirect("people_edit", pk=person.pk)
    try:
        services.person_membership_add(
            person=person,
            role=form.cleaned_data["role"],
            scope_code=form.cleaned_data["scope"],
            province=province,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except IntegrityError:
        messages.error(request, _("Người này đã có vai trò này trong phạm vi này."))
    else:
        messages.success(request, _("Đã cấp quyền."))
    return redirect("people_edit", pk=person.pk)


@require_POST
def people_membership_remove(request, pk: int, membership_pk: int):
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, user=person)
    directory_services.membership_delete(membership=membership, actor=request.user)
    messages.success(request, _("Đã thu hồi quyền."))
    return redirect("people_edit", pk=person.pk)


@require_POST
def people_deactivate(request, pk: int):
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    if person.pk == request.user.pk:
        messages.error(request, _("Không thể tự khóa tài khoản của mình."))
    else:
        services.person_deactivate(person=person, actor=request.user)
        messages.success(request, _("Đã khóa tài khoản %(username)s.") % {"username": person.username})
    return redirect("people_edit", pk=person.pk)


@require_POST
def people_reactivate(request, pk: int):
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    services.person_reactivate(person=person, actor=request.user)
    messages.success(request, _("Đã mở lại tài khoản %(username)s.") % {"username": person.username})
    return redirect("people_edit", pk=person.pk)


@require_POST
def people_invite(request, pk: int):
    """A new invitation e-mail (the older link stops working)."""
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    if not person.is_active:
        messages.error(request, _("Tài khoản đang bị khóa: mở lại trước khi gửi lời mời."))
    elif not person.email:
        messages.error(request, _("Người này chưa có e-mail: in thư kích hoạt thay vì gửi e-mail."))
    else:
        services.invitation_email_send(person=person, base_url=services.public_base_url(request), actor=request.user)
        messages.success(request, _("Đã gửi lời mời kích hoạt đến %(email)s.") % {"email": person.email})
    return redirect("people_edit", pk=person.pk)


@require_POST
def people_letter(request, pk: int):
    """The printable activation letter of one person, with a new one-time code (shown only on this page)."""
    _require_manager(request)
    person = access.person_to_change(request.user, pk)
    if not person.is_active:
        messages.error(request, _("Tài khoản đang bị khóa: mở lại trước khi in thư kích hoạt."))
        return redirect("people_edit", pk=person.pk)
    return _letters(request, [person])


@require_POST
def people_letters(request):
    """Printable letters for several people (the new people without e-mail of an import)."""
    _require_manager(request)
    ids = [value for value in request.POST.getlist("person") if value.isdigit()]
    people = list(access.people_changeable_by(request.user).filter(pk__in=ids, is_active=True).order_by("username"))
    if not people:
        raise Http404
    return _letters(request, people)


def _letters(request, people):
    letters = services.invitation_letters_create(people=people, actor=request.user)
    base_url = services.public_base_url(request)
    response = render(
        request,
        "people/letters.html",
        {
            "letters": [
                {"person": person, "code": code, "expires_at": invitation.expires_at}
                for person, invitation, code in letters
            ],
            "activation_url": base_url + reverse("people_activate_code"),
            "back_url": reverse("people_index"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def people_import(request):
    """Upload a people file; every row or none, with every problem by row."""
    _require_manager(request)
    provinces = _provinces(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None, provinces=provinces)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importing.people_import(
            data=upload.read(),
            filename=upload.name,
            province=form.cleaned_data["province"],
            base_url=services.public_base_url(request),
            actor=request.user,
        )
        if report.ok:
            messages.success(
                request,
                _(
                    "Đã nhập: %(created)s người mới, %(updated)s người cập nhật, %(memberships)s quyền mới, "
                    "%(invited)s thư mời đã gửi."
                )
                % {
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "memberships": report.memberships_created,
                    "invited": report.invited,
                },
            )
        else:
            messages.error(
                request,
                _("Tệp có %(count)s lỗi; chưa nhập ai. Sửa các lỗi dưới đây rồi tải lên lại.")
                % {"count": len(report.problems)},
            )
    return render(
        request,
        "people/import.html",
        {"form": form, "report": report, "columns": COLUMNS.values()},
        status=400 if (form.is_bound and (report is None or not report.ok)) else 200,
    )


def people_import_template(request):
    _require_manager(request)
    response = HttpResponse(exports.import_template(), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi-dung.xlsx"'
    return response


# --- public: activation and password reset ---------------------------------------------------------------


def _activated(request, person, password: str):
    """Log the person in with the password they just chose (through the configured backends, so the login
    lockout and every other rule of logging in apply)."""
    user = authenticate(request, username=person.get_username(), password=password)
    if user is not None:
        login(request, user)
    messages.success(request, _("Tài khoản của bạn đã được kích hoạt."))
    return redirect("people_activation_done")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def activate(request, uidb64: str, token: str):
    """The link of an invitation e-mail: the personal-data notice, a new password, then logged in."""
    person, invitation = services.invitation_for_link(uidb64=uidb64, token=token)
    if person is None:
        return render(request, "people/activate_invalid.html", status=404)
    form = ActivationForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        services.activation_complete(person=person, invitation=invitation, password=form.password)
        return _activated(request, person, form.password)
    return render(
        request, "people/activate.html", {"form": form, "person": person}, status=400 if form.is_bound else 200
    )


@never_cache
@sensitive_post_parameters("code", "new_password1", "new_password2")
def activate_code(request):
    """The code of a printed letter: username and code, the notice, a new password, then logged in."""
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person, invitation = services.invitation_for_code(
            username=form.cleaned_data["username"], code=form.cleaned_data["code"]
        )
        if person is None:
            form.add_error("code", _("Tên đăng nhập hoặc mã kích hoạt không đúng, hoặc thư đã hết hạn."))
        elif form.check_password_for(person):
            services.activation_complete(person=person, invitation=invitation, password=form.password)
            return _activated(request, person, form.password)
    return render(request, "people/activate_code.html", {"form": form}, status=400 if form.is_bound else 200)


def activation_done(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return render(request, "people/activation_done.html", {"workplace": settings.LOGIN_REDIRECT_URL})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, in Vietnamese, with links to the site's public address."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"base_url": services.public_base_url(self.request)}
        return super().form_valid(form)
