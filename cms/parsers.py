"""How the API reads a request: its body (parsers) and the format it asks for (content negotiation).

DRF's parsers, with the input policy of :mod:`cms.input` applied once for every endpoint: a JSON body nested
deeper than ``JSON_MAX_DEPTH`` is refused (a 400, never a ``RecursionError``), and text holding control
characters is refused with ``fields`` naming each field concerned. Bodies are bounded by Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads JSON and form bodies through ``request.body``) and, before that, by
:class:`cms.middleware.RequestInputMiddleware`.

Kept apart from :mod:`cms.api`: DRF imports the classes named in its settings while it defines ``APIView``,
so this module must not import ``rest_framework.views``.
"""

from django.utils.translation import gettext as _

from rest_framework import exceptions, negotiation, parsers

from cms.input import FORBIDDEN_MESSAGE, JSON_MAX_DEPTH, JSONTooDeep, forbidden_fields, json_errors


def _refuse(fields: dict):
    if fields:
        raise exceptions.ValidationError(fields)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            fields = json_errors(data)
        except (RecursionError, JSONTooDeep) as error:
            raise exceptions.ParseError(
                _("JSON lồng quá sâu (tối đa %(depth)s cấp).") % {"depth": JSON_MAX_DEPTH}
            ) from error
        _refuse(fields)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse(_form_errors(data))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Files are not looked into (Django already drops control characters from their names)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse(_form_errors(parsed.data))
        return parsed


def _form_errors(data) -> dict:
    return {name: [FORBIDDEN_MESSAGE] for name in forbidden_fields(data)}


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """An unknown ``?format=`` is a 404 in the project's error shape (DRF raises a bare ``Http404``)."""

    def filter_renderers(self, renderers, format):
        renderers = [renderer for renderer in renderers if renderer.format == format]
        if not renderers:
            raise exceptions.NotFound(_("Không có định dạng này; hãy dùng format=json."))
        return renderers
