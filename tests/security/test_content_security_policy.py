"""Content-Security-Policy without a browser: the header on a public page (also when it comes from the page cache),
the login page, the commune's form, the reviewers' queue, the admin, an API response and the schema viewer; and
our own HTML carries nothing a strict policy would block (inline scripts, <style>, style and on… attributes).
The browser tests (tests/e2e) check that the pages also work under it."""

from html.parser import HTMLParser

from django.core.cache import cache
from django.template.loader import render_to_string

import pytest

from cms.csp import path_additions
from submissions.models import Submission
from tests.e2e.csp import applied, parse_policy

HEADER = "Content-Security-Policy"
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class InlineCode(HTMLParser):
    """What a policy without 'unsafe-inline' refuses: inline scripts, <style> blocks, style and on… attributes,
    javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "") in EXECUTABLE_SCRIPT_TYPES:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def policy(response) -> dict[str, list[str]]:
    assert HEADER in response, response.request["PATH_INFO"]
    header = response[HEADER]
    assert "'unsafe-eval'" not in header
    return parse_policy(header)


def assert_strict(response) -> None:
    """Scripts and styles from this site's files only; no nonce, so a page may be cached whole."""
    directives = policy(response)
    for name in ("script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-elem", "style-src-attr"):
        assert applied(directives, name) == ["'self'"], (response.request["PATH_INFO"], name, directives)
    assert applied(directives, "object-src") == ["'none'"]
    assert applied(directives, "frame-ancestors") == ["'self'"]
    assert "nonce-" not in response[HEADER]


def test_public_pages_and_the_login_page_carry_the_strict_policy_and_no_inline_code(client, site, published_set):
    for url in ("/", "/xa/", site["pages"]["hoa_thuan"].url, "/tim-kiem/?q=ea", published_set["form_page"].url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        assert inline_code(response.text) == [], url
    cached = client.get("/")  # served from the page cache this time: the header is still there
    assert_strict(cached)
    login = client.get("/dang-nhap/")
    assert_strict(login)
    assert inline_code(login.text) == []
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert_strict(missing)


def test_the_sample_form_sends_nothing_by_a_script_file_not_an_attribute(client, published_set):
    html = client.get(published_set["form_page"].url).text
    assert "data-sample-form" in html and "onsubmit" not in html
    assert "/static/criteria_pages/js/sample_form.js" in html


def test_bars_are_svg_whose_width_needs_no_style_attribute():
    html = render_to_string("components/bar.html", {"percent": 42})
    assert inline_code(html) == []
    assert '<rect class="bar-fill" width="42" height="1"/>' in html
    assert "42%" in html


def test_the_commune_form_and_the_reviewers_queue_carry_the_strict_policy(client, area, open_round):
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    client.force_login(area["officers"]["hoa_thuan"])
    for url in ("/danh-gia/", f"/danh-gia/ho-so/{submission.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        assert inline_code(response.text) == [], url
    client.force_login(area["reviewer"])
    queue = client.get("/xet-duyet/")
    assert queue.status_code == 200
    assert_strict(queue)
    assert inline_code(queue.text) == []


def test_the_admin_has_its_own_looser_policy_without_eval(client, area, open_round):
    client.force_login(area["office"])
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    # Wagtail 8 writes inline scripts and styles in its admin; nothing else is added
    assert applied(directives, "script-src") == ["'self'", "'unsafe-inline'"]
    assert applied(directives, "style-src") == ["'self'", "'unsafe-inline'"]
    assert applied(directives, "object-src") == ["'none'"]
    # our own dashboard panel brings its styles as a file
    assert "/static/submissions/css/dashboard.css" in response.text
    panel = response.text.split('id="ntm-round-progress-content"')[1].split("</section>")[0]
    assert inline_code(panel) == []
    # the admin's login page too
    client.logout()
    assert "'unsafe-inline'" in applied(policy(client.get("/admin/login/")), "script-src")


def test_api_responses_carry_the_policy(client, area):
    response = client.get("/api/v1/units/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    directives = policy(response)
    assert applied(directives, "script-src") == ["'self'"]
    error = client.get("/api/v1/khong-co/", HTTP_ACCEPT="application/json")
    assert error.status_code == 404
    assert applied(policy(error), "script-src") == ["'self'"]


def test_the_schema_viewer_is_served_from_our_own_files_with_no_inline_code(client):
    response = client.get("/api/v1/schema/ui/")
    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert inline_code(html) == []
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"):
        assert f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}" in html, asset
    assert "/static/api/schema_ui.css" in html
    script = client.get("/api/v1/schema/ui/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_additions_by_path_use_the_longest_matching_prefix(settings):
    settings.CONTENT_SECURITY_POLICY_BY_PATH = {"/a/": {"img-src": ["blob:"]}, "/a/b/": {}}
    assert path_additions("/a/x/") == {"img-src": ["blob:"]}
    assert path_additions("/a/b/c/") == {}
    assert path_additions("/") is None
