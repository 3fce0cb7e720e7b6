"""Wagtail's images, read from the media storage (the disk or the private bucket) and sent by this site.

Streaming rather than redirecting to a presigned URL keeps the bucket private and unreachable from browsers, keeps
the pages' Content-Security-Policy (``img-src 'self'``) and lets a front cache keep the images. Only images are
served here; documents go through Wagtail's serve view, which checks a collection's privacy first.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

#: The media folders whose files this view sends: Wagtail's originals and renditions of images.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")
#: Renditions and originals never change under one name (a new upload gets a new name).
MEDIA_CACHE_SECONDS = 24 * 60 * 60


@require_safe
def media_serve(request, name: str):
    name = posixpath.normpath(name).lstrip("/")
    if name.startswith("..") or not name.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={MEDIA_CACHE_SECONDS}"
    return response
