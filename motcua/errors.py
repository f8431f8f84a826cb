"""The errors services raise, each with a message a person can act on; the API and screens show them as is."""


class DomainError(Exception):
    """Base of every service error. `message` is for people; `detail` carries structured specifics."""

    status = 400

    def __init__(self, message: str, detail=None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class InvalidInput(DomainError):
    status = 400


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
