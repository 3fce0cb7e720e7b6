"""The Content-Security-Policy, seen from the browser: every response of the site carries the policy, no policy
allows ``'unsafe-eval'``, only the Wagtail admin may allow inline scripts (and, with DRF's browsable API, inline
styles), and no page reports a violation (neither a ``securitypolicyviolation`` event nor Chromium's console error).

``CspWatch.watch(context)`` attaches to a browser context; the ``csp`` fixture (conftest) watches every context
of a test and fails the test at its end on any problem.
"""

from urllib.parse import urlsplit

HEADER = "content-security-policy"
# Wagtail's admin may run inline scripts; it and DRF's browsable API may apply inline styles, but not the schema
# viewer (cms.settings CONTENT_SECURITY_POLICY_BY_PATH).
INLINE_SCRIPT_ALLOWED = ("/admin/",)
INLINE_STYLE_ALLOWED = ("/admin/", "/api/")
SCHEMA_VIEWER = "/api/v1/schema/"
# Static files are served outside Django's middleware (the test server's static handler; WhiteNoise in
# production) and a policy does nothing on a stylesheet or a script: they are not documents.
STATIC_PREFIX = "/static/"
SCRIPT = ("script-src", "script-src-elem", "script-src-attr")
STYLE = ("style-src", "style-src-elem", "style-src-attr")

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation({
  directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
  line: event.lineNumber, sample: event.sample, page: document.location.href,
}), true);
"""


def parse_policy(header: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src 'self' data:"`` → ``{"default-src": ["'self'"], "img-src": [...]}``."""
    directives = {}
    for part in header.split(";"):
        if words := part.split():
            directives[words[0].lower()] = words[1:]
    return directives


def applied(directives: dict[str, list[str]], name: str) -> list[str]:
    """The sources that apply for ``name``, following CSP's fallbacks (script-src-elem → script-src → default-src)."""
    for candidate in (name, name.removesuffix("-elem").removesuffix("-attr"), "default-src"):
        if candidate in directives:
            return directives[candidate]
    return []


def policy_problems(path: str, header: str | None) -> list[str]:
    if not header:
        return ["no Content-Security-Policy header"]
    problems = []
    if "'unsafe-eval'" in header:
        problems.append("allows 'unsafe-eval'")
    checked = []
    if not path.startswith(INLINE_SCRIPT_ALLOWED):
        checked += SCRIPT
    if not path.startswith(INLINE_STYLE_ALLOWED) or path.startswith(SCHEMA_VIEWER):
        checked += STYLE
    directives = parse_policy(header)
    problems += [f"{name} allows 'unsafe-inline'" for name in checked if "'unsafe-inline'" in applied(directives, name)]
    return problems


class CspWatch:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.violations: list[dict] = []
        self.problems: list[str] = []
        self.policies: dict[str, str] = {}  # path → the policy its last response carried

    def watch(self, context):
        context.expose_binding("__cspViolation", lambda _source, violation: self.violations.append(violation))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)
        context.on("response", self._response)
        return context

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append({"console": message.text, "page": message.page.url if message.page else None})

    def _response(self, response) -> None:
        if not response.url.startswith(self.base_url):
            return
        path = urlsplit(response.url).path
        if path.startswith(STATIC_PREFIX):
            return
        header = response.headers.get(HEADER)
        self.policies[path] = header
        for problem in policy_problems(path, header):
            self.problems.append(f"{response.request.method} {path} ({response.status}): {problem}")

    def assert_clean(self) -> None:
        assert self.problems == [], self.problems
        assert self.violations == [], self.violations
