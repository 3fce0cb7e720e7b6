"""Language choice: Vietnamese unless the visitor picked English; the API follows Accept-Language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
