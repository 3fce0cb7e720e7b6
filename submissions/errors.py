"""Domain errors of the submissions app: a refused write, with a message for the user.

The API maps them to JSON once, in the project's exception handler; the web views show the message.
"""


class SubmissionError(Exception):
    """A refused write, with a message for the user (translated) and optional details."""

    def __init__(self, message: str, *, code: str = "invalid", details: list | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []


class ConflictError(SubmissionError):
    def __init__(self, message: str):
        super().__init__(message, code="conflict")
