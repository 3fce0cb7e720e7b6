"""Writes of OCOP producers and products: registering and changing them, their private photos, and a login for a
producer. Keyword-only, typed, atomic, audited (:mod:`.audit`); who may do what is :mod:`cms.directory.access`.

A refusal is a :class:`ProductError` (a :class:`cms.errors.DomainError`) with a Vietnamese message and, where it is
about one input, the field it is about, so the page shows it beside what the user typed and the API answers it once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

import filetype

from cms.errors import FORBIDDEN, INVALID, DomainError
from cms.people import services as people_services

from .. import access
from ..models import Role, Unit, UnitLevel
from ..services import membership_create
from ..text import search_fold
from .audit import ProductAction, record
from .models import Producer, ProducerKind, Product, ProductGroup, ProductPhoto

#: The photo types a producer may upload (detected by content), each with the file extensions accepted for it.
PHOTO_TYPES = {"jpg": ("jpg", "jpeg"), "png": ("png",), "webp": ("webp",)}
#: The content type each accepted photo type is stored and served with.
PHOTO_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
#: At most this many photos per product (the catalogue shows a few; the rest is noise).
MAX_PHOTOS = 12
#: The fields of a producer a registration or a change writes.
PRODUCER_FIELDS = ("name", "kind", "registration_number", "address", "representative", "phone", "email")


class ProductError(DomainError):
    """A refused write of a producer, a product or a photo."""


def _field_error(field: str, message: str) -> ProductError:
    return ProductError(message, code=INVALID, details=[field], fields={field: [message]})


def _forbidden() -> ProductError:
    return ProductError(_("Bạn không có quyền thực hiện thao tác này."), code=FORBIDDEN)


def _validated(instance, *, exclude=()) -> None:
    """The model's own checks (fields, ``clean``, constraints) as a :class:`ProductError` naming the fields."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        fields = {
            name: [str(message) for message in messages]
            for name, messages in error.message_dict.items()
            if name != "__all__"
        }
        general = error.message_dict.get("__all__", [])
        message = (general or [messages[0] for messages in fields.values()] or [_("Dữ liệu không hợp lệ.")])[0]
        raise ProductError(str(message), code=INVALID, details=list(fields), fields=fields or None) from error


def _producer_words(producer: Producer) -> dict[str, str]:
    return {
        str(_("tên chủ thể")): producer.name,
        str(_("loại chủ thể")): str(ProducerKind(producer.kind).label) if producer.kind else "—",
        str(_("số đăng ký kinh doanh")): producer.registration_number or "—",
        str(_("xã")): producer.commune.name,
    }


def _product_words(product: Product) -> dict[str, str]:
    return {
        str(_("tên sản phẩm")): product.name,
        str(_("chủ thể")): product.producer.name,
        str(_("nhóm sản phẩm")): str(product.group),
    }


def _check_commune(commune: Unit) -> None:
    if commune.level != UnitLevel.COMMUNE:
        raise _field_error("commune", _("Hãy chọn một xã (chủ thể OCOP thuộc một xã)."))


def _check_registration_number(*, commune: Unit, number: str, producer: Producer | None = None) -> None:
    if not number:
        return
    taken = Producer.objects.filter(commune=commune, registration_number=number)
    if producer is not None and producer.pk:
        taken = taken.exclude(pk=producer.pk)
    other = taken.first()
    if other is not None:
        raise _field_error(
            "registration_number",
            _("Số đăng ký kinh doanh “%(number)s” đã có ở %(commune)s (chủ thể “%(name)s”).")
            % {"number": number, "commune": commune.name, "name": other.name},
        )


@transaction.atomic
def producer_register(
    *,
    user,
    commune: Unit,
    name: str,
    kind: str,
    registration_number: str = "",
    address: str = "",
    representative: str = "",
    phone: str = "",
    email: str = "",
    is_demo: bool = False,
) -> Producer:
    """Register a producer of ``commune``: by a commune officer of that commune, or the office of its province."""
    if not access.may_register_producer(user, commune):
        raise _forbidden()
    _check_commune(commune)
    producer = Producer(
        commune=commune,
        name=" ".join(name.split()),
        kind=kind,
        registration_number=registration_number.strip(),
        address=address.strip(),
        representative=representative.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
        is_demo=is_demo,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _check_registration_number(commune=commune, number=producer.registration_number)
    producer.search_name = search_fold(producer.name)
    _validated(producer)
    producer.save()
    record(subject=producer, action=ProductAction.PRODUCER_REGISTERED, user=user, after=_producer_words(producer))
    return producer


@transaction.atomic
def producer_update(*, producer: Producer, user, commune: Unit | None = None, **values) -> Producer:
    """Change a producer's details (``values``: any of :data:`PRODUCER_FIELDS`); moving it to another ``commune``
    needs the right to register producers there."""
    if not access.may_manage_producer(user, producer):
        raise _forbidden()
    unknown = set(values) - set(PRODUCER_FIELDS)
    if unknown:
        raise TypeError(f"producer_update() got unexpected fields: {', '.join(sorted(unknown))}")
    before = _producer_words(producer)
    if commune is not None and commune.pk != producer.commune_id:
        if not access.may_register_producer(user, commune):
            raise _field_error("commune", _("Bạn không quản lý xã này."))
        _check_commune(commune)
        producer.commune = commune
    for name, raw in values.items():
        text = (raw or "").strip()
        if name == "name":
            text = " ".join(text.split())
        elif name == "email":
            text = text.lower()
        setattr(producer, name, text)
    _check_registration_number(commune=producer.commune, number=producer.registration_number, producer=producer)
    producer.search_name = search_fold(producer.name)
    _validated(producer)
    producer.save()
    after = _producer_words(producer)
    if after != before:
        record(subject=producer, action=ProductAction.PRODUCER_CHANGED, user=user, before=before, after=after)
    return producer


def _check_group(group: ProductGroup) -> None:
    if not group.is_active:
        raise _field_error("group", _("Nhóm “%(group)s” không còn dùng; hãy chọn nhóm khác.") % {"group": group})


@transaction.atomic
def product_register(
    *, producer: Producer, user, name: str, group: ProductGroup, description: str = "", is_demo: bool = False
) -> Product:
    """Register a product of ``producer`` (by the producer itself, its commune's officer or the office). Its group
    is a sub-group, or a group that has none."""
    if not access.may_manage_producer(user, producer):
        raise _forbidden()
    _check_group(group)
    product = Product(
        producer=producer,
        name=" ".join(name.split()),
        group=group,
        description=description.strip(),
        is_demo=is_demo,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    product.search_name = search_fold(product.name)
    _validated(product)
    product.save()
    record(subject=product, action=ProductAction.PRODUCT_REGISTERED, user=user, after=_product_words(product))
    return product


@transaction.atomic
def product_update(*, product: Product, user, name: str, group: ProductGroup, description: str = "") -> Product:
    """Change a product's name, group and description."""
    if not access.may_manage_product(user, product):
        raise _forbidden()
    if group.pk != product.group_id:
        _check_group(group)
    before = _product_words(product)
    product.name = " ".join(name.split())
    product.group = group
    product.description = description.strip()
    product.search_name = search_fold(product.name)
    _validated(product)
    product.save()
    after = _product_words(product)
    if after != before:
        record(subject=product, action=ProductAction.PRODUCT_CHANGED, user=user, before=before, after=after)
    return product


def photo_validate(upload) -> str:
    """Refuse (in Vietnamese) a photo over the upload limit or whose content is not JPEG, PNG or WebP (checked by
    content, not only by the name's extension); otherwise its detected type (a key of :data:`PHOTO_TYPES`)."""
    limit = settings.EVIDENCE_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise _field_error(
            "file",
            _("Ảnh “%(name)s” quá lớn (%(size)s); tối đa %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    detected = kind.extension if kind else None
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if detected not in PHOTO_TYPES or extension not in PHOTO_TYPES[detected]:
        raise _field_error(
            "file",
            _("Tệp “%(name)s” không được nhận: chỉ nhận ảnh JPEG, PNG hoặc WebP (kiểm tra theo nội dung tệp).")
            % {"name": upload.name},
        )
    return detected


def _display_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "anh"


@transaction.atomic
def product_photo_add(*, product: Product, user, upload, caption: str = "") -> ProductPhoto:
    """Keep a photo of ``product`` in the private storage (no public address: only the product's managers download
    it, until a recognised product's public page copies it)."""
    if not access.may_manage_product(user, product):
        raise _forbidden()
    if product.photos.count() >= MAX_PHOTOS:
        raise _field_error("file", _("Mỗi sản phẩm có tối đa %(count)s ảnh.") % {"count": MAX_PHOTOS})
    detected = photo_validate(upload)
    order = product.photos.aggregate(last=Max("sort_order"))["last"]
    photo = ProductPhoto(
        product=product,
        caption=caption.strip()[:255],
        original_name=_display_name(upload.name),
        content_type=PHOTO_CONTENT_TYPES[detected],
        size=upload.size,
        uploaded_by=user,
        sort_order=0 if order is None else order + 1,
    )
    photo.file.save(f"{detected}.{detected}", upload, save=False)
    photo.save()
    record(
        subject=product,
        action=ProductAction.PRODUCT_PHOTO_ADDED,
        user=user,
        after={str(_("ảnh")): photo.original_name},
    )
    return photo


@transaction.atomic
def product_photo_remove(*, photo: ProductPhoto, user) -> None:
    """Remove a photo and its file."""
    product = photo.product
    if not access.may_manage_product(user, product):
        raise _forbidden()
    name, file = photo.original_name, photo.file
    photo.delete()
    transaction.on_commit(lambda: file.storage.delete(file.name) if file.name else None)
    record(subject=product, action=ProductAction.PRODUCT_PHOTO_REMOVED, user=user, before={str(_("ảnh")): name})


def may_create_account(user, producer: Producer) -> bool:
    """Logins for a producer are given by the officers of its commune or the office of its province."""
    return access.may_register_producer(user, producer.commune)


@transaction.atomic
def producer_account_create(
    *, producer: Producer, user, full_name: str, email: str = "", phone: str = "", username: str = "", base_url: str
) -> tuple[object, str | None]:
    """A login for ``producer``: a new account (no password) with the role “Chủ thể OCOP” over the producer. With an
    e-mail, the person gets the people app's one-time activation link and sets their own password; without one,
    the returned letter code (shown once) activates it at “Kích hoạt bằng mã”. Returns (account, code or None)."""
    if not may_create_account(user, producer):
        raise _forbidden()
    try:
        account = people_services.person_create(
            full_name=full_name,
            email=email,
            phone=phone,
            username=username.strip(),
            province_code=access.province_of(producer.commune),
            actor=user,
        )
    except ValidationError as error:
        fields = (
            {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
            if hasattr(error, "error_dict")
            else {}
        )
        message = next(iter(fields.values()))[0] if fields else error.messages[0]
        raise ProductError(message, code=INVALID, details=list(fields), fields=fields or None) from error
    membership_create(user=account, role=Role.PRODUCER, producer=producer, actor=user)
    code = None
    if account.email:
        people_services.invitation_email_send(person=account, base_url=base_url, actor=user)
    else:
        code = people_services.invitation_letters_create(people=[account], actor=user)[0][2]
    record(
        subject=producer,
        action=ProductAction.PRODUCER_ACCOUNT_CREATED,
        user=user,
        after={str(_("tên đăng nhập")): account.username},
    )
    return account, code
