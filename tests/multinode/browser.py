"""A person's browser for the multi-node test: one cookie jar used against every app server, behind the load
balancer the test stands in for. The load balancer terminates TLS and passes the public host on: every request
carries ``Host: ntm.example.gov.vn`` and ``X-Forwarded-Proto: https``, and the Secure cookies of production travel
over the local HTTP. Forms are read from the page and sent back with what the
person typed, with the page's CSRF token, as a browser does."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from tests.multinode.cluster import PUBLIC_HOST

TIMEOUT = 30
MAX_REDIRECTS = 10
PROXY_HEADERS = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", "Accept-Language": "vi"}


@dataclass
class Form:
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)
    file_fields: list[str] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def names(self) -> list[str]:
        return [key for key, _value in self.fields]

    def data(self, **typed: str) -> list[tuple[str, str]]:
        """What the browser sends: the fields as shown, with ``typed`` replacing (or adding) values."""
        kept = [(key, value) for key, value in self.fields if key not in typed]
        return kept + list(typed.items())


class _FormReader(HTMLParser):
    """The page's forms with their successful controls' values (no buttons: the caller names the one pressed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs))
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                form.file_fields.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset"):
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            form.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def form_with(html: str, field_name: str) -> Form:
    """The page's form that has the field ``field_name``."""
    for form in forms_of(html):
        if field_name in form.names() or field_name in form.file_fields:
            return form
    raise AssertionError(f"no form with the field {field_name!r} on the page:\n{html[:3000]}")


class Browser:
    """Follows redirects itself: the cookies a response sets (Secure, as production sets them) are kept for the
    next request of the chain, over the plain HTTP hop behind the load balancer."""

    def __init__(self):
        self.session = requests.Session()
        self.session.headers.update(PROXY_HEADERS)

    def request(self, method: str, server: str, path: str, *, allow_redirects: bool = True, **kwargs):
        response = self.session.request(method, server + path, allow_redirects=False, timeout=TIMEOUT, **kwargs)
        for _hop in range(MAX_REDIRECTS):
            for cookie in self.session.cookies:
                cookie.secure = False  # sent back over the proxy's hop, as the browser sends it over TLS
            if not (allow_redirects and response.is_redirect):
                return response
            location = urlsplit(urljoin(response.url, response.headers["Location"]))
            path = location.path + (f"?{location.query}" if location.query else "")
            response = self.session.get(server + path, allow_redirects=False, timeout=TIMEOUT)
        raise AssertionError(f"more than {MAX_REDIRECTS} redirects from {path}")

    def get(self, server: str, path: str, **kwargs) -> requests.Response:
        return self.request("GET", server, path, **kwargs)

    def post(self, server: str, path: str, data=None, *, files=None, referer: str | None = None) -> requests.Response:
        """A form sent from the page at ``referer`` (``path`` by default), as the browser sends it over TLS."""
        headers = {"Referer": public_url(referer or path)}
        return self.request("POST", server, path, data=data, files=files, headers=headers)

    def api(self, server: str, method: str, path: str, payload: dict | None = None) -> requests.Response:
        """A call of the JSON API from a page of the site (session and CSRF token, as the site's scripts do)."""
        headers = {"Referer": public_url("/"), "X-CSRFToken": self.session.cookies.get("csrftoken", "")}
        return self.request(method, server, path, json=payload, headers=headers)

    def log_in(self, server: str, username: str, password: str) -> requests.Response:
        page = self.get(server, "/dang-nhap/")
        assert page.status_code == 200, page.text[:2000]
        form = form_with(page.text, "username")
        response = self.post(server, "/dang-nhap/", form.data(username=username, password=password))
        assert response.status_code == 200, response.text[:2000]
        assert urlsplit(response.url).path != "/dang-nhap/", f"{username} was not logged in:\n{response.text[:2000]}"
        return response


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body and self.rows:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False


def table_rows(html: str) -> list[list[str]]:
    """The rows of the page's table bodies, each as the texts of its cells."""
    reader = _TableReader()
    reader.feed(html)
    return reader.rows


def public_url(path: str) -> str:
    """The address the person's browser shows (the load balancer's), whichever server answers."""
    return f"https://{PUBLIC_HOST}{path}"


def links(html: str, pattern: str) -> list[str]:
    """The links of the page whose address matches ``pattern`` (a regular expression), in order."""
    return re.findall(rf'href="({pattern})"', html)
