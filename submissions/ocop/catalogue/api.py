"""``/api/v1/ocop/products/`` and ``/api/v1/ocop/products/{id}/``: the recognised OCOP products.

Anonymous callers read the products with a public certificate (current, recognised and published) and nothing
else: no points, no member score, no producer contact. The office of the products' province (and the producer,
national readers) additionally reads the council's score and name, and may ask ``?status=all`` for the current
certificates not yet published. Paginated like every list (``count``, ``next``, ``previous``, ``results``).
"""

from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics

from submissions.ocop.models import Certificate

from . import selectors
from .filters import CatalogueFilter
from .serializers import CatalogueProductSerializer

STATUS = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=[selectors.STATUS_PUBLIC, selectors.STATUS_ALL],
    description='"public" (default): published certificates only. "all": also the current certificates not yet '
    "published that the caller may read (the office of their province).",
)


def _status(request) -> str:
    status = request.query_params.get("status", "").strip() or selectors.STATUS_PUBLIC
    if status not in (selectors.STATUS_PUBLIC, selectors.STATUS_ALL):
        raise exceptions.ValidationError({"status": [_("Trạng thái không hợp lệ; dùng “public” hoặc “all”.")]})
    return status


@extend_schema(summary="Recognised OCOP products", parameters=[STATUS])
class CatalogueListView(generics.ListAPIView):
    serializer_class = CatalogueProductSerializer
    filterset_class = CatalogueFilter
    queryset = Certificate.objects.none()

    def get_queryset(self):
        return selectors.catalogue_rows(self.request.user, status=_status(self.request))


@extend_schema(summary="One recognised OCOP product")
class CatalogueDetailView(generics.RetrieveAPIView):
    serializer_class = CatalogueProductSerializer
    filter_backends: list = []
    queryset = Certificate.objects.none()

    def get_object(self):
        row = selectors.product_row(self.request.user, self.kwargs["pk"])
        if row is None:
            raise exceptions.NotFound(_("Không tìm thấy sản phẩm OCOP này."))
        return row
