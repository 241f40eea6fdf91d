"""Domain errors raised by services; views and the API turn them into clear messages."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action.

    ``code`` is stable and machine-readable; ``message`` is Dutch, for the user; ``field`` names
    the input that caused it when there is one. Never put a BSN or other personal data in it.
    """

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}
