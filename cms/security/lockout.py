"""What a client sees when an account is locked from its address (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from axes.helpers import get_cool_off

#: HTTP status of a refused login while the account is locked from the client's address.
LOCKED_STATUS = 429


def lockout_message() -> str:
    """The Vietnamese explanation shown on the login page."""
    cool_off = get_cool_off()
    limit = settings.AXES_FAILURE_LIMIT
    if cool_off is None:
        return _(
            "Tài khoản này đã bị khóa đăng nhập từ địa chỉ của bạn sau %(limit)s lần nhập sai mật khẩu. "
            "Hãy liên hệ Văn phòng Điều phối NTM để được mở khóa."
        ) % {"limit": limit}
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return _(
        "Tài khoản này đã bị tạm khóa đăng nhập từ địa chỉ của bạn sau %(limit)s lần nhập sai mật khẩu. "
        "Hãy thử lại sau %(minutes)s phút hoặc liên hệ Văn phòng Điều phối NTM để được mở khóa."
    ) % {"limit": limit, "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, its error replaced by the lockout message (429); plain text elsewhere.

    Both login pages (``/dang-nhap/`` and Wagtail's ``/admin/login/``) are Django ``LoginView``s answering
    with a template response around the form, so the same page is shown with the form's errors replaced.
    """
    message = lockout_message()
    context = dict(getattr(original_response, "context_data", None) or {})
    form = context.get("form")
    template_name = getattr(original_response, "template_name", None)
    if form is None or not template_name or not hasattr(form, "cleaned_data"):
        return HttpResponse(message, status=LOCKED_STATUS, content_type="text/plain; charset=utf-8")
    form.errors.clear()
    form.add_error(None, message)
    context["lockout_message"] = message
    response = TemplateResponse(request, template_name, context, status=LOCKED_STATUS)
    return response.render()
