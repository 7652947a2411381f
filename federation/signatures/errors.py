class SignatureError(Exception):
    """A request whose signature is missing, malformed, stale or does not verify.

    The message says what is wrong so the sending server's admin can act on it.
    """


class KeyUnavailable(SignatureError):
    """The signer's key could not be fetched because its server did not answer, or answered
    5xx or 429: the request may be sound, so the sender is asked to retry (503), not told
    that its signature is wrong (401), which Mastodon and GoToSocial do not retry."""
