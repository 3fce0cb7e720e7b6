"""A commune's titles as the public reads them: current ones with their decisions, revoked ones with their
revocation, and its predecessors' (before the 2025 mergers)."""

from cms.directory.models import Unit


def commune_titles(unit: Unit):
    """The titles shown on ``unit``'s public page (None while there are none)."""
    return None
