"""The producers' and products' phone screens under ``/ocop/`` (site pages, not the admin).

Commune officers and the office register producers and give them logins; producers (and those who manage them)
register products and their photos. Access is :mod:`cms.directory.access`: a producer or product the user does not
manage is a 404 (its existence is never revealed); an action on a visible object the user may not take is a 403.
Views read the input, call the services and selectors, and render; nothing more.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.people.services import public_base_url
from cms.storage import private_file_response

from .. import access
from ..models import Role, Unit
from . import selectors, services
from .forms import AccountForm, PhotoForm, ProducerForm, ProductForm, add_domain_error

#: Only these roles register producers (the list and the registration screen).
REGISTERING_ROLES = (Role.COMMUNE_OFFICER, Role.OFFICE_EDITOR)


def _registers_producers(user) -> bool:
    scopes = access.scopes_of(user)
    return scopes.is_superuser or scopes.has_role(*REGISTERING_ROLES)


def _manages_products(user) -> bool:
    scopes = access.scopes_of(user)
    return scopes.is_superuser or scopes.has_role(*REGISTERING_ROLES, Role.PRODUCER)


def _producer_or_404(user, pk: int):
    producer = selectors.producer_detail(user, pk)
    if producer is None:
        raise Http404(_("Không tìm thấy chủ thể."))
    return producer


def _product_or_404(user, pk: int):
    product = selectors.product_detail(user, pk)
    if product is None:
        raise Http404(_("Không tìm thấy sản phẩm."))
    return product


# --- producers ---------------------------------------------------------------------------------------------


@login_required
def producer_list(request):
    """The producers the user manages (a commune officer: its communes'; the office: its province's)."""
    if not _manages_products(request.user):
        raise Http404(_("Trang này dành cho cán bộ xã, Văn phòng Điều phối và chủ thể OCOP."))
    filterset, producers = selectors.producers_listed(request.user, request.GET)
    context = {
        "filter": filterset,
        "producers": producers,
        "may_register": _registers_producers(request.user),
    }
    return render(request, "directory/products/producer_list.html", context)


def _posted_commune_refusal(request) -> None:
    """A commune posted outside the user's communes: 403 inside the user's province, 404 elsewhere."""
    pk = request.POST.get("commune", "")
    if not pk.isdigit():
        return
    commune = Unit.objects.filter(pk=pk).first()
    if commune is None or access.may_register_producer(request.user, commune):
        return
    if access.may_read_unit(request.user, commune):
        raise PermissionDenied
    raise Http404(_("Không tìm thấy xã."))


@login_required
def producer_create(request):
    """Register a producer of one of the user's communes."""
    if not _registers_producers(request.user):
        raise Http404(_("Trang này dành cho cán bộ xã và Văn phòng Điều phối."))
    status = 200
    if request.method == "POST":
        _posted_commune_refusal(request)
        form = ProducerForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                producer = services.producer_register(user=request.user, **data)
            except services.ProductError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã đăng ký chủ thể “%(name)s”.") % {"name": producer.name})
                return redirect("ocop_products:producer_detail", producer.pk)
        status = 400
    else:
        form = ProducerForm(user=request.user)
    return render(request, "directory/products/producer_form.html", {"form": form, "producer": None}, status=status)


@login_required
def producer_detail(request, pk: int):
    """A producer: its details, its products and (for its commune's officers and the office) its logins."""
    producer = _producer_or_404(request.user, pk)
    may_create_account = services.may_create_account(request.user, producer)
    context = {
        "producer": producer,
        "products": selectors.producer_products(producer),
        "accounts": selectors.producer_accounts(producer) if may_create_account else [],
        "may_create_account": may_create_account,
        "account_form": AccountForm() if may_create_account else None,
    }
    return render(request, "directory/products/producer_detail.html", context)


@login_required
def producer_edit(request, pk: int):
    producer = _producer_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        form = ProducerForm(request.POST, user=request.user, producer=producer)
        if "commune" in form.fields:
            _posted_commune_refusal(request)
        if form.is_valid():
            try:
                services.producer_update(producer=producer, user=request.user, **form.cleaned_data)
            except services.ProductError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã lưu thông tin chủ thể."))
                return redirect("ocop_products:producer_detail", producer.pk)
        status = 400
    else:
        form = ProducerForm(initial=ProducerForm.initial_of(producer), user=request.user, producer=producer)
    return render(request, "directory/products/producer_form.html", {"form": form, "producer": producer}, status=status)


@login_required
def producer_account_create(request, pk: int):
    """Give the producer a login (GET shows the form on the producer's page; POST creates it)."""
    producer = _producer_or_404(request.user, pk)
    if not services.may_create_account(request.user, producer):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("ocop_products:producer_detail", producer.pk)
    form = AccountForm(request.POST)
    code = account = None
    if form.is_valid():
        try:
            account, code = services.producer_account_create(
                producer=producer, user=request.user, base_url=public_base_url(request), **form.cleaned_data
            )
        except services.ProductError as error:
            add_domain_error(form, error)
    if account is None:
        context = {
            "producer": producer,
            "products": selectors.producer_products(producer),
            "accounts": selectors.producer_accounts(producer),
            "may_create_account": True,
            "account_form": form,
        }
        return render(request, "directory/products/producer_detail.html", context, status=400)
    if code is None:
        messages.success(
            request,
            _("Đã tạo tài khoản %(username)s và gửi đường dẫn kích hoạt đến %(email)s.")
            % {"username": account.username, "email": account.email},
        )
        return redirect("ocop_products:producer_detail", producer.pk)
    context = {"producer": producer, "account": account, "code": code}
    return render(request, "directory/products/account_letter.html", context)


# --- products ----------------------------------------------------------------------------------------------


@login_required
def product_list(request):
    """The products the user manages (a producer: its own), filtered and searched without diacritics."""
    if not _manages_products(request.user):
        raise Http404(_("Trang này dành cho chủ thể OCOP, cán bộ xã và Văn phòng Điều phối."))
    filterset, products = selectors.products_listed(request.user, request.GET)
    return render(request, "directory/products/product_list.html", {"filter": filterset, "products": products})


@login_required
def product_create(request):
    if not _manages_products(request.user):
        raise Http404(_("Trang này dành cho chủ thể OCOP, cán bộ xã và Văn phòng Điều phối."))
    status = 200
    if request.method == "POST":
        form = ProductForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                product = services.product_register(
                    producer=data["producer"],
                    user=request.user,
                    name=data["name"],
                    group=data["group"],
                    description=data["description"],
                )
            except services.ProductError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã đăng ký sản phẩm “%(name)s”.") % {"name": product.name})
                return redirect("ocop_products:product_detail", product.pk)
        status = 400
    else:
        initial = {}
        wanted = request.GET.get("chu_the", "")
        if wanted.isdigit():
            initial["producer"] = int(wanted)
        form = ProductForm(user=request.user, initial=initial)
    return render(request, "directory/products/product_form.html", {"form": form, "product": None}, status=status)


@login_required
def product_detail(request, pk: int):
    """A product: its details, its photos (private) and its OCOP history."""
    product = _product_or_404(request.user, pk)
    context = {
        "product": product,
        "photos": list(product.photos.all()),
        "history": selectors.product_history(product),
        "photo_form": PhotoForm(),
        "max_photos": services.MAX_PHOTOS,
    }
    return render(request, "directory/products/product_detail.html", context)


@login_required
def product_edit(request, pk: int):
    product = _product_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        form = ProductForm(request.POST, user=request.user, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.product_update(
                    product=product,
                    user=request.user,
                    name=data["name"],
                    group=data["group"],
                    description=data["description"],
                )
            except services.ProductError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã lưu thông tin sản phẩm."))
                return redirect("ocop_products:product_detail", product.pk)
        status = 400
    else:
        initial = {"name": product.name, "group": product.group_id, "description": product.description}
        form = ProductForm(user=request.user, editing=True, initial=initial)
    return render(request, "directory/products/product_form.html", {"form": form, "product": product}, status=status)


@login_required
@require_POST
def product_photo_add(request, pk: int):
    product = _product_or_404(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_photo_add(
                product=product,
                user=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except services.ProductError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm ảnh."))
            return redirect("ocop_products:product_detail", product.pk)
    context = {
        "product": product,
        "photos": list(product.photos.all()),
        "history": selectors.product_history(product),
        "photo_form": form,
        "max_photos": services.MAX_PHOTOS,
    }
    return render(request, "directory/products/product_detail.html", context, status=400)


@login_required
@require_POST
def product_photo_remove(request, pk: int):
    photo = selectors.photo_detail(request.user, pk)
    if photo is None:
        raise Http404(_("Không tìm thấy ảnh."))
    product_pk = photo.product_id
    services.product_photo_remove(photo=photo, user=request.user)
    messages.success(request, _("Đã xoá ảnh."))
    return redirect("ocop_products:product_detail", product_pk)


@login_required
def product_photo_file(request, pk: int):
    """A product's photo, streamed after the access check (private: no public address)."""
    photo = selectors.photo_detail(request.user, pk)
    if photo is None:
        raise Http404(_("Không tìm thấy ảnh."))
    return private_file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)
