"""The admin page of one object's history."""

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .history import reachable_for
from .models import AuditEntry
from .wording import history_words

ENTRIES_PER_PAGE = 100


@require_GET
def history(request, app_label: str, model_name: str, pk: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    reachable = reachable_for(model)
    if reachable is None:
        raise Http404
    subject = get_object_or_404(reachable(request.user), pk=pk)
    page = Paginator(AuditEntry.objects.about(subject).select_related("actor"), ENTRIES_PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "audit/history.html",
        {
            "subject": subject,
            "entries": page,
            "rows": history_words(page.object_list, subject),
            "model_name": model._meta.verbose_name,
        },
    )
