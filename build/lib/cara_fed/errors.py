"""The one kind of error a person can fix: the CLI prints its message as one line and exits 1
(and the web interface will show it), so services raise subclasses of it with a sentence."""


class UserError(Exception):
    pass
