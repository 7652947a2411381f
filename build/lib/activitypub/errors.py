"""The one error the parsers raise, so callers can answer 400 with its message."""


class InvalidObject(ValueError):
    """An ActivityPub document that does not have the shape we require."""
