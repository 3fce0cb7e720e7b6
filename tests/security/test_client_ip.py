"""The client address comes from the configured number of trusted proxies, never from a header alone, and the
login lockout and DRF's throttles agree on it."""

from django.test import RequestFactory

import pytest
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from cms.security.client_ip import client_ip


def throttle_ident(request) -> str:
    return AnonRateThrottle().get_ident(Request(request))


CASES = [
    # (trusted proxies, X-Forwarded-For sent to Django, REMOTE_ADDR, the client's address)
    (0, None, "203.0.113.7", "203.0.113.7"),
    (0, "192.0.2.1", "203.0.113.7", "203.0.113.7"),  # with no trusted proxy the header is ignored
    (0, "192.0.2.1, 192.0.2.2", "203.0.113.7", "203.0.113.7"),
    (1, "198.51.100.9", "10.0.0.2", "198.51.100.9"),  # one proxy: the address it saw, appended last
    (1, "192.0.2.1, 198.51.100.9", "10.0.0.2", "198.51.100.9"),  # a made-up entry before it changes nothing
    (2, "192.0.2.1, 198.51.100.9, 10.0.0.3", "10.0.0.2", "198.51.100.9"),
    (1, None, "10.0.0.2", "10.0.0.2"),  # reached without the proxy's header: the peer itself
]


@pytest.mark.parametrize(("proxies", "forwarded", "remote_addr", "expected"), CASES)
def test_the_client_address_and_the_throttle_agree(settings, proxies, forwarded, remote_addr, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/api/v1/units/", REMOTE_ADDR=remote_addr, **headers)
    assert client_ip(request) == expected
    assert throttle_ident(request) == expected


def test_both_read_one_setting(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT
    assert settings.AXES_CLIENT_IP_CALLABLE == "cms.security.client_ip.client_ip"
