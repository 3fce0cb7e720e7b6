"""Content-Security-Policy: django-csp's middleware with additions per path prefix.

The policy itself is ``CONTENT_SECURITY_POLICY`` in the settings, the same for every response. Third-party
screens we cannot change (Wagtail's admin) get their additions from ``CONTENT_SECURITY_POLICY_BY_PATH``,
``{prefix: {directive: [sources]}}``, appended to the policy for requests under that prefix only. A view's own
``@csp_update`` / ``@csp_replace`` still takes precedence.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware, PolicyParts


def path_additions(path: str) -> dict[str, list[str]] | None:
    """The additions for ``path``: those of the longest matching prefix, or None."""
    prefixes = getattr(settings, "CONTENT_SECURITY_POLICY_BY_PATH", {})
    matching = [prefix for prefix in prefixes if path.startswith(prefix)]
    return prefixes[max(matching, key=len)] if matching else None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.update is None:
            parts.update = path_additions(request.path_info)
        return parts
