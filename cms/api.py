"""Project-wide API plumbing: one error shape for every answer under ``/api/``.

DRF's errors go through :func:`exception_handler`; Wagtail's pages API through :class:`PagesAPIViewSet`; what
Django answers itself (an unknown address, a body too large, a server error) through the error views
:func:`bad_request`, :func:`permission_denied`, :func:`page_not_found` and :func:`server_error`, which
``cms.urls`` installs as ``handler400`` ... ``handler500`` and which keep Django's HTML pages elsewhere.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

from wagtail.api.v2 import views as wagtail_api_views
from wagtail.api.v2.utils import BadRequestError

from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from cms import errors

API_PREFIX = "/api/"

#: HTTP status of a domain error, by its code; any other code is a 400 (invalid request).
DOMAIN_ERROR_STATUS = {
    errors.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    errors.LOCKED: status.HTTP_409_CONFLICT,
    errors.CONFLICT: status.HTTP_409_CONFLICT,
    errors.WRONG_STATE: status.HTTP_409_CONFLICT,
}


def domain_error_response(error: errors.DomainError) -> Response:
    """A service's refusal: ``missing`` lists what is missing, ``fields`` the input concerned (400 only)."""
    http_status = DOMAIN_ERROR_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
    body = {"message": error.message, "code": error.code}
    if error.code == errors.INCOMPLETE:
        body["missing"] = list(error.details)
    elif http_status == status.HTTP_400_BAD_REQUEST and (fields := error.field_errors()):
        body["fields"] = fields
    return Response(body, status=http_status)


def exception_handler(exc, context):
    """Errors look like ``{"message": "...", "code": "...", "fields": {...}}``.

    ``message`` is human-readable in the request's language (Vietnamese by default, English with
    ``Accept-Language: en``); ``fields`` is present for invalid input and names each field concerned.
    Domain errors (:class:`cms.errors.DomainError`) are mapped here, once: views let them propagate.
    Errors are JSON whatever renderer the request negotiated (the browsable API's HTML, the schema's YAML).
    """
    response = _error_response(exc, context)
    if response is not None and (request := context.get("request")) is not None:
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    return response


def _error_response(exc, context):
    if isinstance(exc, errors.DomainError):
        set_rollback()
        return domain_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"message": _("Dữ liệu gửi lên không hợp lệ."), "code": "invalid", "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"message": str(detail), "code": code}
    return response


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = errors.INVALID


class PagesAPIViewSet(wagtail_api_views.PagesAPIViewSet):
    """Wagtail's pages API (``/api/v2/pages/``), its errors in the project's shape (Wagtail's carry no code)."""

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            exc = BadRequest(str(exc))
        return APIView.handle_exception(self, exc)  # not Wagtail's own, which answers {"message"} only


# --- what Django answers itself -----------------------------------------------------------------------------


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(message: str, code: str, http_status: int) -> JsonResponse:
    return JsonResponse({"message": message, "code": code}, status=http_status)


def too_large(limit: int) -> JsonResponse:
    message = _("Dữ liệu gửi lên quá lớn (tối đa %(limit)s).") % {"limit": filesizeformat(limit)}
    return json_error(message, "too_large", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def api_not_found(request, *args, **kwargs):
    return json_error(_("Không tìm thấy địa chỉ API này."), "not_found", status.HTTP_404_NOT_FOUND)


def bad_request(request, exception):
    """``handler400``: a refused request (e.g. a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields)."""
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return json_error(_("Yêu cầu không hợp lệ."), "bad_request", status.HTTP_400_BAD_REQUEST)


def permission_denied(request, exception):
    """``handler403``."""
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(_("Bạn không có quyền làm việc này."), "permission_denied", status.HTTP_403_FORBIDDEN)


def page_not_found(request, exception):
    """``handler404``."""
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return api_not_found(request)


def server_error(request):
    """``handler500``."""
    if not is_api_request(request):
        return defaults.server_error(request)
    return json_error(_("Lỗi máy chủ; xin thử lại sau."), "server_error", status.HTTP_500_INTERNAL_SERVER_ERROR)


def only_public_api_endpoints(endpoints):
    """drf-spectacular preprocessing hook: document ``/api/v1/`` only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
