"""Project-wide API plumbing: one error shape for every DRF endpoint, and JSON 404s under /api/."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from cms import errors

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
    """
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


def api_not_found(request, *args, **kwargs):
    return JsonResponse({"message": _("Không tìm thấy địa chỉ API này."), "code": "not_found"}, status=404)


def only_public_api_endpoints(endpoints):
    """drf-spectacular preprocessing hook: document ``/api/v1/`` only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
