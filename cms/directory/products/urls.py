"""The producers' and products' screens under ``/ocop/`` (``/ocop/chu-the/…``, ``/ocop/san-pham/…``)."""

from django.urls import path

from . import views

app_name = "ocop_products"
urlpatterns = [
    path("chu-the/", views.producer_list, name="producer_list"),
    path("chu-the/them/", views.producer_create, name="producer_create"),
    path("chu-the/<int:pk>/", views.producer_detail, name="producer_detail"),
    path("chu-the/<int:pk>/sua/", views.producer_edit, name="producer_edit"),
    path("chu-the/<int:pk>/tai-khoan/", views.producer_account_create, name="producer_account_create"),
    path("san-pham/", views.product_list, name="product_list"),
    path("san-pham/them/", views.product_create, name="product_create"),
    path("san-pham/<int:pk>/", views.product_detail, name="product_detail"),
    path("san-pham/<int:pk>/sua/", views.product_edit, name="product_edit"),
    path("san-pham/<int:pk>/anh/", views.product_photo_add, name="photo_add"),
    path("san-pham/anh/<int:pk>/", views.product_photo_file, name="photo_file"),
    path("san-pham/anh/<int:pk>/xoa/", views.product_photo_remove, name="photo_remove"),
]
