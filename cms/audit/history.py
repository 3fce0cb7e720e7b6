"""Each object's history in the admin: which objects have one, and who may read it.

An app registers a model with the function of its access module that returns what a user may reach
(:func:`register_history`); the history page of an object outside that queryset is a 404, so a history
is read exactly by those who may open the object.
"""

from collections.abc import Callable

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse

#: model -> the access rule: the objects of that model ``user`` may reach.
_REACHABLE: dict[type[models.Model], Callable[[object], QuerySet]] = {}

URL_NAME = "audit_history"


def register_history(model: type[models.Model], reachable: Callable[[object], QuerySet]) -> None:
    _REACHABLE[model] = reachable


def reachable_for(model: type[models.Model]) -> Callable[[object], QuerySet] | None:
    return _REACHABLE.get(model)


def history_url(obj: models.Model) -> str:
    meta = obj._meta
    return reverse(URL_NAME, args=[meta.app_label, meta.model_name, obj.pk])
