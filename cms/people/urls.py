"""Public pages of the people app: activating an account (link or printed code) and resetting a password."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import ResetPasswordForm

urlpatterns = [
    path("kich-hoat/ma/", views.activate_code, name="people_activate_code"),
    path("kich-hoat/xong/", views.activation_done, name="people_activation_done"),
    path("kich-hoat/<uidb64>/<token>/", views.activate, name="people_activate"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html", form_class=ResetPasswordForm
        ),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
