"""Admin registration: the history page of any registered object."""

from django.urls import path

from wagtail import hooks

from . import views
from .history import URL_NAME


@hooks.register("register_admin_urls")
def register_history_url():
    return [path("nhat-ky/<str:app_label>/<str:model_name>/<str:pk>/", views.history, name=URL_NAME)]
