class SignatureError(Exception):
    """A request whose signature is missing, malformed, stale or does not verify.

    The message says what is wrong so the sending server's admin can act on it.
    """
