"""Who may see or do what in the submissions app: every rule of access to rounds, submissions, evidence,
appraisals, statistics and exports, in one place. Web views, the admin, the API, the exports and the
statistics all ask here; a new rule is one edit.

Who holds which scope (memberships, the units a scope covers) is read from the directory's access
module, :mod:`cms.directory.access`:

- commune officer: the submissions of their commune (which they fill) and its evidence;
- district reviewer: submissions of the communes in their district;
- department appraiser: submissions that reached appraisal of one of their department's criteria, and
  only those criteria's evidence;
- office editor: everything in their province; rounds, recognition and publishing are theirs;
- national reader (the central coordination office): every province's rounds (drafts included), submissions'
  numbers, statistics and exports, read-only; never evidence files (the private documents stay with the people
  who review the unit), never a review queue, never a change;
- superuser: everything;
- OCOP producer: its own products' dossiers and evidence, which it fills;
- OCOP council member: the dossiers of the councils they sit on, their own score sheets, and the other members'
  sheets only once their own is submitted.

Since OCOP the rules are split by sub-domain, one module each, and gathered here: callers import
``submissions.access`` only, never a module of this package.
"""

# The one import path: every rule of every sub-domain, re-exported.
from .consultation import *  # noqa: F403
from .core import *  # noqa: F403
from .core import CHANGE_ROUND, UNIT_READERS, UNIT_REVIEWERS, VIEW_ROUND  # noqa: F401
from .ocop import *  # noqa: F403
from .recognition import *  # noqa: F403
from .registration import *  # noqa: F403
from .titles import *  # noqa: F403
