"""Domain errors: a refused operation, with a message for the user.

Services raise them; web views show ``message``; the API answers them once, in
:func:`cms.api.exception_handler`, with an HTTP status chosen by ``code``. The apps above subclass
:class:`DomainError` (e.g. ``submissions.errors.SubmissionError``), so this lowest layer never
imports them.
"""

from collections.abc import Iterator
from contextlib import contextmanager

#: Codes a domain error can carry (any other code is an invalid request, like ``INVALID``).
INVALID = "invalid"
#: ``details`` lists, for the user, everything that is missing.
INCOMPLETE = "incomplete"
#: The caller may see the object but not do this.
FORBIDDEN = "forbidden"
#: The object cannot change now (e.g. its round is closed).
LOCKED = "locked"
#: Somebody changed the object first (a stale ``lock_version``); nothing was overwritten.
CONFLICT = "conflict"
#: The object is not at a stage where this action is possible.
WRONG_STATE = "wrong_state"


class DomainError(Exception):
    """A refused operation: ``message`` for the user (translated), ``code`` for programs.

    ``details``: for ``INCOMPLETE``, what is missing; for ``INVALID``, the names of the input fields
    concerned. ``fields`` names them with their own messages when they differ from ``message``.
    """

    def __init__(self, message: str, *, code: str = INVALID, details: list | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []
        self.fields = fields
        #: The input field the refusal is about when its raiser could not say (see :func:`about_field`).
        self.field: str | None = None

    def field_errors(self) -> dict:
        """The input fields concerned, each with its messages (empty when none is known)."""
        if self.fields:
            return self.fields
        names = [name for name in self.details if isinstance(name, str)] if self.code == INVALID else []
        if not names and self.field:
            names = [self.field]
        return {name: [self.message] for name in names}


@contextmanager
def about_field(name: str | None) -> Iterator[None]:
    """Domain errors raised inside concern the input field ``name`` (unless they name their fields)."""
    try:
        yield
    except DomainError as error:
        if error.field is None:
            error.field = name
        raise
