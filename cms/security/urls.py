from django.urls import path

from . import views

urlpatterns = [
    path("", views.two_factor_verify, name="two_factor_verify"),
    path("thiet-lap/", views.two_factor_enrol, name="two_factor_enrol"),
]
