"""Admin hooks of the public site: publishing, withdrawing, moving or deleting a page empties the page cache."""

from wagtail import hooks

from . import services


def _invalidate(request, page, *args, **kwargs):
    services.invalidate_public_cache()


for _hook in (
    "after_create_page",
    "after_publish_page",
    "after_unpublish_page",
    "after_move_page",
    "after_delete_page",
):
    hooks.register(_hook, _invalidate)
