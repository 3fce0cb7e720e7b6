from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The province's public home page: the root of the public site."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["criteria_pages.CriteriaIndexPage"]
    max_count = 1
    template = "public_site/home_page.html"

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")
