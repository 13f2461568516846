"""Domain errors raised by services. Interfaces map them once: pages show a message, the API
answers 409 (conflict with the current state) or 400 (bad request data)."""


class DomainError(Exception):
    """A business rule refused the operation."""


class InvalidTransitionError(DomainError):
    """The object's current state does not allow the requested change."""


class DomainValidationError(DomainError):
    """Input is well-formed but violates a rule; `field` names the offending input where known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
