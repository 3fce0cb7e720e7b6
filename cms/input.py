"""What a request's input may hold: text without control characters, JSON nested to a bounded depth.

No legitimate input holds C0 control characters other than tab, line feed and carriage return, nor lone
surrogates (JSON's ``"\\ud800"``, which UTF-8 cannot encode); PostgreSQL refuses NUL in text (SQLite stores it).
Each layer applies this policy once: :class:`cms.middleware.RequestInputMiddleware` for paths, headers and
query strings; the API's parsers (:mod:`cms.parsers`) for request bodies; :class:`CleanTextFormMixin` and
:func:`forbidden_fields` for the web forms that store what they are sent.
"""

import re
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

#: C0 controls except tab (\\x09), line feed (\\x0a) and carriage return (\\x0d); lone surrogates.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
#: The deepest nesting of arrays and objects a JSON body may have (the API's own bodies need 3).
JSON_MAX_DEPTH = 64
#: At most this many fields are named in one refusal (a body of a million bad strings gets a short answer).
MAX_FIELD_ERRORS = 20

FORBIDDEN_MESSAGE = _("Có ký tự điều khiển không hợp lệ (như NUL); hãy xoá ký tự đó rồi gửi lại.")


class JSONTooDeep(ValueError):
    """A JSON value nested deeper than :data:`JSON_MAX_DEPTH`."""


def has_forbidden_characters(text: str) -> bool:
    return FORBIDDEN_CHARACTERS.search(text) is not None


def without_forbidden_characters(text: str) -> str:
    return FORBIDDEN_CHARACTERS.sub("", text)


def shown(text: str) -> str:
    """``text`` safe to echo back (a field's name in an error): forbidden characters become U+FFFD."""
    return FORBIDDEN_CHARACTERS.sub("\ufffd", text)


def _set_at(tree: dict, path: tuple[str, ...], message) -> None:
    for name in path[:-1]:
        tree = tree.setdefault(name, {})
    tree[path[-1]] = [message]


def json_errors(data) -> dict:
    """Check a parsed JSON value: raise :class:`JSONTooDeep`, or return the fields holding forbidden characters.

    The fields are named as DRF names nested errors (``{"notes": {"1.1": [message]}}``; list items by their
    index; a body that is one string under ``non_field_errors``); a forbidden character in a key is reported at
    that key. The walk is iterative, so no depth makes it recurse.
    """
    errors: dict = {}
    count = 0
    stack: list[tuple[tuple[str, ...], object, int]] = [((), data, 1)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > JSON_MAX_DEPTH:
            raise JSONTooDeep(JSON_MAX_DEPTH)
        if isinstance(value, dict):
            for key, item in value.items():
                if has_forbidden_characters(key):  # the key is reported; what it holds is not looked at
                    _set_at(errors, (*path, shown(key)), FORBIDDEN_MESSAGE)
                    count += 1
                else:
                    stack.append(((*path, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend(((*path, str(index)), item, depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str) and has_forbidden_characters(value):
            _set_at(errors, path or ("non_field_errors",), FORBIDDEN_MESSAGE)
            count += 1
        if count >= MAX_FIELD_ERRORS:
            break
    return errors


def forbidden_fields(data) -> list[str]:
    """The names of a form's submitted fields (a ``QueryDict`` or a dict) whose name or a value holds forbidden
    characters."""
    names = []
    lists = data.lists() if hasattr(data, "lists") else ((name, [value]) for name, value in data.items())
    for name, values in lists:
        if has_forbidden_characters(name) or any(
            isinstance(value, str) and has_forbidden_characters(value) for value in values
        ):
            names.append(shown(name))
    return names


class CleanTextFormMixin:
    """A form that refuses text holding forbidden characters, with a message next to each field concerned.

    For forms that store what was typed even when it is invalid: the view checks :attr:`refused_fields` and
    saves nothing when it is not empty (the form shows the input as typed, with the messages).
    """

    #: The fields refused, once the form is validated.
    refused_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        refused = set(forbidden_fields(self.data))
        self.refused_fields = tuple(name for name in self._checked_names() if name in refused)
        for name in self.refused_fields:
            self.errors.pop(name, None)  # e.g. Django's own (English) "Null characters are not allowed."
            self.add_error(name, forms.ValidationError(FORBIDDEN_MESSAGE, code="forbidden_characters"))
        return cleaned

    def _checked_names(self) -> Iterable[str]:
        return [name for name, field in self.fields.items() if not isinstance(field, forms.FileField)]
