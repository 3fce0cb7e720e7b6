"""The multi-node test's settings: production's, with two test-only changes.

- Static files are not collected: ``collectstatic`` (Wagtail's admin included) takes longer than the whole test,
  and no check here is about a stylesheet. Pages link to /static/… unhashed instead.
- E-mails are written as files into ``EMAIL_FILE_PATH`` (read from the environment), where the test counts them.
"""

import os

from cms.settings.production import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
