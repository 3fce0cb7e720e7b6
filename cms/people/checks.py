"""Deployment check (``manage.py check --deploy``): links sent to people need the site's public address."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def public_base_url_check(app_configs=None, **kwargs):
    url = settings.PUBLIC_BASE_URL
    if not url or "127.0.0.1" in url or "localhost" in url:
        return [
            Error(
                "PUBLIC_BASE_URL is not the site's public address: invitation and password-reset links would not work.",
                hint="Set PUBLIC_BASE_URL (see .env.example), e.g. https://ntm.example.gov.vn.",
                id="cms.people.E001",
            )
        ]
    return []
