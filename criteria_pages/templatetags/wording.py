"""Words, not codes, in templates: ``{% load wording %}`` then ``{% value_words indicator raw %}``,
``{% target_words indicator group %}``, ``{% verdict_words status raw %}`` (see :mod:`criteria_pages.wording`)."""

import datetime

from django import template

from criteria_pages import wording

register = template.Library()


@register.simple_tag
def value_words(indicator, raw) -> str:
    """What a commune entered, in words ("Có", "85 %", "01/03/2026"); "—" when nothing was."""
    return wording.value_words(indicator, raw) or "—"


@register.simple_tag
def target_words(indicator, group=None) -> str:
    return wording.target_words(indicator, group or None)


@register.simple_tag
def verdict_words(status, raw="") -> str:
    """ "Đạt", "Chưa đạt", "Không áp dụng", "Chưa nhập" (nothing entered)."""
    return wording.verdict_words(status, entered=bool(str(raw or "").strip()))


@register.simple_tag
def answer_words(bound_field) -> str:
    """A read-only answer to one of the office's questions: a choice by its label ("Có", not "yes"), a date
    dd/mm/yyyy; "—" when there is none."""
    value = bound_field.value()
    if value is None or str(value).strip() == "":
        return "—"
    choices = getattr(bound_field.field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return str(labels.get(str(value), value))
    if isinstance(value, datetime.date):
        return wording.date_words(value)
    try:
        return wording.date_words(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)
