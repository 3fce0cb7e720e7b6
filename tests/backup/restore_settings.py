"""Settings of the fresh install a backup is restored into (a subprocess): the test settings, with the files in the
folders the test names (the local disk) or in the bucket the environment names (S3, through cms.settings.base)."""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["RESTORE_MEDIA_ROOT"])
PRIVATE_MEDIA_ROOT = Path(os.environ["RESTORE_PRIVATE_MEDIA_ROOT"])
