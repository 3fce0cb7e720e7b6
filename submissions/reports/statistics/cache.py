"""Statistics kept in the shared cache (Redis in production), correct at once after every change of results.

Counting a national round (10,000 communes, 190,000 verdicts) takes the database most of a second; the public
site and the API ask for the same numbers again and again, and they change only when results do. So the numbers
the public pages and ``/api/v1/rounds/{id}/summary/`` show (the ``cached_*`` readers below, and a commune's
published history through :func:`cached`) are kept in the cache under a key made of what was asked (which numbers,
the round, the subtree, ``across_editions``), the basis, the language and a **results version**: a token that is
replaced whenever a change could alter the numbers. An entry under a replaced token is never read again (it
expires after ``STATISTICS_CACHE_TIMEOUT`` seconds, 600 by default). Exports and the office's dashboards count live.

Two tokens, so that the commune officers' drafts, saved all day long, never empty the public's numbers:

- the **published** version (basis ``published``) is replaced when a result is published or withdrawn, the
  results are recomputed (``results_changed``), a submission is saved or deleted or a verdict saved through the
  models (the admin, a script), a round (scope, dates, status), a unit (name, tree) or a unit's predecessors
  change, or a unit list is imported;
- the **office** version (bases ``all`` and ``recognised``) is replaced by all of the above and by every change the
  office's bases count (``submissions_changed``: a submission's status, a recognition, recomputed verdicts).

A token is replaced at once (a read later in the same transaction sees the change) and again after the commit: an
entry another process computed from the data before the commit, stored under the token replaced at once, is then
never read. Only the counting is cached: the rounds themselves (names, dates, criteria sets) are read fresh.

Receivers are connected by :func:`connect` (from ``SubmissionsConfig.ready``).
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from cms.directory.models import Unit, UnitSuccession
from cms.directory.signals import units_imported
from submissions.models import Basis, CriterionResult, Round, Submission, Title
from submissions.signals import results_changed, submissions_changed

from .history import RoundResults, latest_round_id, round_numbers, with_rounds
from .results import criterion_units
from .summary import DistrictStat, RoundSummary, district_statistics, round_summary

T = TypeVar("T")

PREFIX = "statistics"
PUBLISHED_VERSION_KEY = f"{PREFIX}:v:published"
OFFICE_VERSION_KEY = f"{PREFIX}:v:office"
#: How long an entry is kept (seconds); STATISTICS_CACHE_TIMEOUT in settings overrides it. The versions make an
#: entry stale at once: the timeout only frees the memory of entries nobody asks for any more.
DEFAULT_TIMEOUT = 600
_MISSING = object()


def timeout() -> int:
    return int(getattr(settings, "STATISTICS_CACHE_TIMEOUT", DEFAULT_TIMEOUT))


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def _replace(*, published: bool) -> None:
    token = _new_token()
    tokens = {OFFICE_VERSION_KEY: token, PUBLISHED_VERSION_KEY: token} if published else {OFFICE_VERSION_KEY: token}
    cache.set_many(tokens, timeout=None)


def version_bump(*, published: bool = True) -> None:
    """The cached numbers are stale: the office's (``published=False``) or everyone's. Now and after the commit."""
    _replace(published=published)
    transaction.on_commit(lambda: _replace(published=published))


def version(basis: str) -> str:
    """The current token of ``basis`` (created if missing: evicted, or never set)."""
    key = PUBLISHED_VERSION_KEY if basis == Basis.PUBLISHED else OFFICE_VERSION_KEY
    token = cache.get(key)
    if token is None:
        token = _new_token()
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token  # another process created it meanwhile: theirs is the current one
    return token


def entry_key(what: str, basis: str, arguments: tuple) -> str:
    asked = hashlib.sha256(repr(arguments).encode("utf-8")).hexdigest()[:32]
    return f"{PREFIX}:{what}:{basis}:{get_language() or ''}:{version(basis)}:{asked}"


def cached(what: str, *, basis: str, arguments: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s value for these ``arguments`` (plain values: ids, codes, flags) under the current version of
    ``basis``, computed once per version."""
    key = entry_key(what, basis, arguments)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout())
    return value


def _pk(instance) -> int | None:
    return None if instance is None else instance.pk


# --- the cached numbers (the same arguments and values as the functions they keep) -----------------------------


def cached_round_summary(
    round_: Round, *, parent: Unit | None = None, basis: str = Basis.ALL, across_editions: bool = False
) -> RoundSummary:
    """:func:`.summary.round_summary`, cached: no query when the results have not changed."""
    return cached(
        "summary",
        basis=basis,
        arguments=(round_.pk, _pk(parent), across_editions),
        compute=lambda: round_summary(round_, parent=parent, basis=basis, across_editions=across_editions),
    )


def cached_results_by_round(
    *, parent: Unit | None = None, basis: str, across_editions: bool = False
) -> list[RoundResults]:
    """:func:`.history.results_by_round` with its counting cached: one query (the rounds) when nothing changed."""
    numbers = cached(
        "rounds",
        basis=basis,
        arguments=(_pk(parent), across_editions),
        compute=lambda: round_numbers(parent=parent, basis=basis, across_editions=across_editions),
    )
    return with_rounds(numbers)


def cached_latest_round(*, parent: Unit | None = None, basis: str, across_editions: bool = False) -> Round | None:
    """:func:`.history.latest_round` with its search cached: one query (the round) when nothing changed."""
    round_id = cached(
        "latest_round",
        basis=basis,
        arguments=(_pk(parent), across_editions),
        compute=lambda: latest_round_id(parent=parent, basis=basis, across_editions=across_editions),
    )
    if round_id is None:
        return None
    return Round.objects.select_related("criteria_version").filter(pk=round_id).first()


def cached_criterion_units(
    round_: Round, number: int, *, parent: Unit | None = None, basis: str = Basis.ALL, across_editions: bool = False
) -> tuple[list[Submission], list[Submission]]:
    """:func:`.results.criterion_units`, cached: no query when the results have not changed."""
    return cached(
        "criterion_units",
        basis=basis,
        arguments=(round_.pk, number, _pk(parent), across_editions),
        compute=lambda: criterion_units(round_, number, parent=parent, basis=basis, across_editions=across_editions),
    )


def cached_district_statistics(
    round_: Round, *, parent: Unit | None = None, basis: str = Basis.ALL, across_editions: bool = False
) -> tuple[DistrictStat, ...]:
    """:func:`.summary.district_statistics`, cached: no query when the results have not changed."""
    return cached(
        "districts",
        basis=basis,
        arguments=(round_.pk, _pk(parent), across_editions),
        compute=lambda: district_statistics(round_, parent=parent, basis=basis, across_editions=across_editions),
    )


# --- receivers ------------------------------------------------------------------------------------------------


def on_results_changed(sender, **kwargs) -> None:
    version_bump(published=True)


def on_submissions_changed(sender, *, published: bool = False, **kwargs) -> None:
    version_bump(published=published)


def on_model_changed(sender, **kwargs) -> None:
    """A submission, a verdict, a round or a unit saved or deleted through the models: any number may change."""
    version_bump(published=True)


def on_scope_changed(sender, *, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        version_bump(published=True)


def connect() -> None:
    results_changed.connect(on_results_changed, dispatch_uid="statistics_results")
    submissions_changed.connect(on_submissions_changed, dispatch_uid="statistics_submissions")
    units_imported.connect(on_model_changed, dispatch_uid="statistics_units_imported")
    # CriterionResult rows are deleted only with their submission (which bumps): no post_delete receiver, so that
    # deleting a round keeps Django's fast delete of its verdicts.
    post_save.connect(on_model_changed, sender=CriterionResult, dispatch_uid="statistics_criterion_result")
    for model in (Submission, Round, Unit, UnitSuccession, Title):  # titles: units_holding_title
        post_save.connect(on_model_changed, sender=model, dispatch_uid=f"statistics_{model.__name__}_saved")
        post_delete.connect(on_model_changed, sender=model, dispatch_uid=f"statistics_{model.__name__}_deleted")
    m2m_changed.connect(on_scope_changed, sender=Round.scope_units.through, dispatch_uid="statistics_round_scope")
