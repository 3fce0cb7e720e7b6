"""Admin URLs of rounds (under /admin/), added by the app's ``register_admin_urls`` hook."""

from django.urls import path

from . import views

urlpatterns = [
    *(
        path(f"<int:pk>/{name}/", views.round_action, {"action": name}, name=action.url_name)
        for name, action in views.ROUND_ACTIONS.items()
    ),
    path("<int:pk>/export/<slug:kind>/", views.round_export, name=views.EXPORT_URL_NAME),
]
