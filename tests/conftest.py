from django.conf import settings
from django.utils import translation

from wagtail.models import Site

import pytest


@pytest.fixture(autouse=True)
def _clear_wagtail_site_cache():
    """Wagtail caches the Site per request/process; a test that creates one must not leak it."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request in English must not leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
