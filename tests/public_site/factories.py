"""Page factories of the public site: the home page and its sections (singletons the migrations create) and
commune pages. Results shown on them come from :mod:`tests.submissions.factories` (``result``)."""

from wagtail.models import Page

import factory

from public_site.models import CommuneIndexPage, CommunePage, CriteriaProgressPage, HomePage
from public_site.services import COMMUNE_INDEX_SLUG, CRITERIA_PAGE_SLUG
from tests.factories import PageFactory, SingletonPageFactory, UnitFactory


class HomePageFactory(SingletonPageFactory):
    """The province's home page (the site root): ``HomePageFactory(province=unit)``."""

    class Meta:
        model = HomePage

    @classmethod
    def defaults(cls) -> dict:
        return {"title": "Nông thôn mới", "slug": "trang-chu"}

    @classmethod
    def default_parent(cls):
        return Page.get_first_root_node()


class CommuneIndexPageFactory(SingletonPageFactory):
    """The "Các xã" section, at /xa/."""

    class Meta:
        model = CommuneIndexPage

    @classmethod
    def defaults(cls) -> dict:
        return {"title": "Các xã", "slug": COMMUNE_INDEX_SLUG, "show_in_menus": True}

    @classmethod
    def default_parent(cls):
        return HomePageFactory()


class CriteriaProgressPageFactory(SingletonPageFactory):
    """The "Kết quả theo tiêu chí" section, at /tieu-chi/."""

    class Meta:
        model = CriteriaProgressPage

    @classmethod
    def defaults(cls) -> dict:
        return {"title": "Kết quả theo tiêu chí", "slug": CRITERIA_PAGE_SLUG, "show_in_menus": True}

    @classmethod
    def default_parent(cls):
        return HomePageFactory()


class CommunePageFactory(PageFactory):
    """A commune's page under "Các xã" (the site makes them with ``public_site.services.commune_pages_ensure``;
    this is for a page with a given body or state)."""

    class Meta:
        model = CommunePage

    unit = factory.SubFactory(UnitFactory)
    title = factory.SelfAttribute("unit.name")

    @classmethod
    def default_parent(cls):
        return CommuneIndexPageFactory()
