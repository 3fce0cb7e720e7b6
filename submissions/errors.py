"""Domain errors of the submissions app: a refused write, with a message for the user.

The API maps them to JSON once, in the project's exception handler (``cms.api``); the web views show
the message.
"""

from cms.errors import CONFLICT, DomainError


class SubmissionError(DomainError):
    """A refused write, with a message for the user (translated) and optional details."""


class ConflictError(SubmissionError):
    def __init__(self, message: str):
        super().__init__(message, code=CONFLICT)
