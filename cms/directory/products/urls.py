"""The producers' and products' screens under ``/ocop/`` (``/ocop/chu-the/…``, ``/ocop/san-pham/…``)."""

urlpatterns = []
