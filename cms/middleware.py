"""Language choice (Vietnamese unless the visitor picked English; the API follows Accept-Language), and the
input no view should see (control characters, oversized API bodies)."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from cms.api import is_api_request, too_large
from cms.input import forbidden_fields, has_forbidden_characters, without_forbidden_characters


class LanguageMiddleware(LocaleMiddleware):
    """Pages are Vietnamese first: a browser set to English does not switch them, only the visitor's own
    choice (the language cookie set by the switch in the footer) does. API clients get their
    ``Accept-Language`` (Vietnamese by default, English on ``Accept-Language: en``)."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class RequestInputMiddleware:
    """Input no view should see (the policy is :mod:`cms.input`):

    - a path or a header holding control characters is refused (404 and 400; JSON under ``/api/``): they
      would reach the database as page slugs, unit codes, session keys or tokens;
    - control characters are removed from the query string's names and values: search terms and filters
      are never stored, so ``?q=`` and ``?search=`` go on with what remains;
    - under ``/api/``, a body larger than any endpoint accepts is refused with a 413 before it is read:
      ``DATA_UPLOAD_MAX_MEMORY_SIZE``, plus ``EVIDENCE_MAX_UPLOAD_SIZE`` for a multipart body (an evidence
      file, which Django's upload handlers stream to disk).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = (value for name, value in request.META.items() if name.startswith("HTTP_"))
        cookies = (text for cookie in request.COOKIES.items() for text in cookie)  # "\000" decodes to NUL
        if any(isinstance(text, str) and has_forbidden_characters(text) for text in (*headers, *cookies)):
            raise BadRequest("Control characters in a header or a cookie.")
        if has_forbidden_characters(request.path_info):
            raise Http404(_("Không tìm thấy địa chỉ này."))
        if forbidden_fields(request.GET):
            request.GET = self._cleaned(request.GET)
            request.META["QUERY_STRING"] = request.GET.urlencode()
        if is_api_request(request) and (limit := self._body_limit(request)) is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return too_large(limit)
        return self.get_response(request)

    @staticmethod
    def _cleaned(query: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for name, values in query.lists():
            for value in values:
                cleaned.appendlist(without_forbidden_characters(name), without_forbidden_characters(value))
        cleaned._mutable = False
        return cleaned

    @staticmethod
    def _body_limit(request) -> int | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.content_type == "multipart/form-data":
            limit += settings.EVIDENCE_MAX_UPLOAD_SIZE
        return limit
