"""What went wrong with an e-mail, in words the office reads: the error recorded by the delivery task (its class
and message, e.g. ``SMTPRecipientsRefused: …``) named in Vietnamese, the technical detail kept after it."""

from django.utils.translation import gettext as _

#: Error classes (as recorded, the part before ":"), most specific first: what the office reads for each.
_WORDS = (
    ("SMTPRecipientsRefused", lambda: _("Máy chủ thư từ chối địa chỉ người nhận")),
    ("SMTPSenderRefused", lambda: _("Máy chủ thư từ chối địa chỉ người gửi")),
    ("SMTPAuthenticationError", lambda: _("Máy chủ thư từ chối tài khoản gửi thư")),
    ("SMTPServerDisconnected", lambda: _("Máy chủ thư ngắt kết nối giữa chừng")),
    ("SMTPDataError", lambda: _("Máy chủ thư không nhận nội dung thư")),
    ("TimeoutError", lambda: _("Máy chủ thư không trả lời (quá thời gian chờ)")),
    ("ConnectionRefusedError", lambda: _("Không kết nối được máy chủ thư")),
    ("gaierror", lambda: _("Không tìm thấy máy chủ thư (sai tên máy chủ)")),
    ("OSError", lambda: _("Không kết nối được máy chủ thư")),
)


def error_words(error: str) -> str:
    """``error`` as the office reads it: "Vietnamese words (technical detail)"; empty when there is none."""
    if not error:
        return ""
    name = error.split(":", 1)[0].strip()
    for error_class, words in _WORDS:
        if name == error_class:
            return f"{words()} ({error})"
    return _("Lỗi khi gửi thư (%(detail)s)") % {"detail": error}
