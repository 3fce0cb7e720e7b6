"""The office's admin of OCOP producers, products and the product classification (wagtail-modeladmin, as the rest of
the directory: :mod:`cms.directory.admin`). Producers and products are scoped to what the user manages
(:mod:`cms.directory.access`); their saves go through the services, so they are checked and audited as on the phone
screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from .. import access
from ..admin import SafeDeleteView, SafeIndexView, ScopedHistoryView, ScopedPermissionHelper
from ..models import UnitLevel
from ..text import search_fold
from . import services
from .models import Producer, Product, ProductGroup


class ProducerAdminForm(WagtailAdminModelForm):
    """A producer of one of the editor's communes, registered or changed through the services."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "commune" in self.fields and for_user is not None:
            self.fields["commune"].queryset = (
                access.units_managed_by(for_user).filter(level=UnitLevel.COMMUNE).order_by("path")
            )

    def save(self, commit=True):
        producer = super().save(commit=False)
        if not commit:
            return producer
        values = {name: getattr(producer, name) for name in services.PRODUCER_FIELDS}
        if producer.pk is None:
            return services.producer_register(user=self.for_user, commune=producer.commune, **values)
        stored = Producer.objects.select_related("commune").get(pk=producer.pk)
        return services.producer_update(producer=stored, user=self.for_user, commune=producer.commune, **values)

    class Meta:
        model = Producer
        fields = ["name", "kind", "registration_number", "commune", "address", "representative", "phone", "email"]


class ProductAdminForm(WagtailAdminModelForm):
    """A product of a producer the editor manages, registered or changed through the services."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "producer" in self.fields and for_user is not None:
            self.fields["producer"].queryset = access.producers_managed_by(for_user).order_by("search_name")
        if self.instance.pk and "producer" in self.fields:
            self.fields["producer"].disabled = True  # a product stays with its producer

    def clean(self):
        cleaned = super().clean()
        producer, name = cleaned.get("producer") or getattr(self.instance, "producer", None), cleaned.get("name")
        if producer is not None and name:
            same = Product.objects.filter(producer=producer, search_name=search_fold(name))
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", forms.ValidationError(_("Chủ thể này đã có sản phẩm cùng tên.")))
        return cleaned

    def save(self, commit=True):
        product = super().save(commit=False)
        if not commit:
            return product
        values = {"name": product.name, "group": product.group, "description": product.description}
        if product.pk is None:
            return services.product_register(producer=product.producer, user=self.for_user, **values)
        stored = Product.objects.select_related("producer__commune").get(pk=product.pk)
        return services.product_update(product=stored, user=self.for_user, **values)

    class Meta:
        model = Product
        fields = ["producer", "name", "group", "description"]


class FoldedSearchIndexView(SafeIndexView):
    """Searches the folded names: “nuoc mam” finds “Nước mắm”, and so does “Nước mắm”."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_fold(search_term))


class ProducerPermissionHelper(ScopedPermissionHelper):
    scoped = access.producers_managed_by


class ProductPermissionHelper(ScopedPermissionHelper):
    scoped = access.products_managed_by


class ProductGroupPermissionHelper(PermissionHelper):
    """The classification is national data: office editors correct names and flags; rows are added or removed by
    superusers only (products refer to them)."""

    def user_can_create(self, user):
        return user.is_superuser

    def user_can_delete_obj(self, user, obj):
        return user.is_superuser


class ProductGroupAdmin(ModelAdmin):
    model = ProductGroup
    menu_label = _("Nhóm sản phẩm OCOP")
    menu_icon = "tag"
    index_view_class = SafeIndexView
    delete_view_class = SafeDeleteView
    history_view_class = ScopedHistoryView
    permission_helper_class = ProductGroupPermissionHelper
    list_display = ("name", "code", "parent", "lead_ministry", "is_active", "verified")
    list_filter = ("parent", "is_active", "verified")
    search_fields = ("name", "code")
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("lead_ministry"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
        FieldPanel("verified"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class ProducerAdmin(ModelAdmin):
    model = Producer
    menu_label = _("Chủ thể OCOP")
    menu_icon = "group"
    index_view_class = FoldedSearchIndexView
    delete_view_class = SafeDeleteView
    history_view_class = ScopedHistoryView
    permission_helper_class = ProducerPermissionHelper
    list_display = ("name", "kind", "registration_number", "commune_name", "created_date")
    list_filter = ("kind", "is_demo")
    list_export = ("name", "kind", "registration_number", "commune_name", "address", "created_date")
    export_filename = "chu-the-ocop"
    search_fields = ("search_name", "registration_number")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("registration_number"),
            FieldPanel("commune"),
            FieldPanel("address"),
            FieldPanel("representative"),
            FieldPanel("phone"),
            FieldPanel("email"),
        ],
        base_form_class=ProducerAdminForm,
    )

    def get_queryset(self, request):
        return access.producers_managed_by(request.user).select_related("commune")

    @staticmethod
    def commune_name(obj):
        return obj.commune.name

    commune_name.short_description = _("xã")

    @staticmethod
    def created_date(obj):
        return obj.created_at.strftime("%d/%m/%Y")

    created_date.short_description = _("ngày đăng ký")


class ProductAdmin(ModelAdmin):
    model = Product
    menu_label = _("Sản phẩm OCOP")
    menu_icon = "pick"
    index_view_class = FoldedSearchIndexView
    delete_view_class = SafeDeleteView
    history_view_class = ScopedHistoryView
    permission_helper_class = ProductPermissionHelper
    list_display = ("name", "producer_name", "commune_name", "group")
    list_filter = ("group",)
    list_export = ("name", "producer_name", "commune_name", "group")
    export_filename = "san-pham-ocop"
    search_fields = ("search_name", "producer__search_name")
    edit_handler = ObjectList(
        [FieldPanel("producer"), FieldPanel("name"), FieldPanel("group"), FieldPanel("description")],
        base_form_class=ProductAdminForm,
    )

    def get_queryset(self, request):
        return access.products_managed_by(request.user).select_related("producer__commune", "group")

    @staticmethod
    def producer_name(obj):
        return obj.producer.name

    producer_name.short_description = _("chủ thể")

    @staticmethod
    def commune_name(obj):
        return obj.producer.commune.name

    commune_name.short_description = _("xã")


class ProductsGroup(ModelAdminGroup):
    menu_label = _("Chủ thể, sản phẩm OCOP")
    menu_icon = "pick"
    menu_order = 905
    items = (ProducerAdmin, ProductAdmin, ProductGroupAdmin)
