"""A commune's titles as the public reads them: current ones with their decisions, revoked ones with their
revocation, and its predecessors' (the communes it was formed from in the 2025 mergers).

Titles and revocations are public decisions; their documents are private and never linked here.
"""

from dataclasses import dataclass

from cms.directory.models import Unit
from submissions.titles.models import Title
from submissions.titles.selectors import titles_with_predecessors


@dataclass(frozen=True)
class CommuneTitles:
    current: tuple[Title, ...]  # held now, newest decision first
    revoked: tuple[Title, ...]  # revoked, newest decision first
    predecessors: tuple[Title, ...]  # the predecessors' titles, current and revoked, each with its unit


def commune_titles(unit: Unit) -> CommuneTitles | None:
    """The titles shown on ``unit``'s public page (None while there are none): one query."""
    titles = titles_with_predecessors(unit)
    if not titles:
        return None
    own = [title for title in titles if title.unit_id == unit.pk]
    return CommuneTitles(
        current=tuple(title for title in own if title.is_current),
        revoked=tuple(title for title in own if not title.is_current),
        predecessors=tuple(title for title in titles if title.unit_id != unit.pk),
    )
