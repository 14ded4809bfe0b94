"""Why a stage did not succeed, in words an analyst understands."""

# Links that a few quick retries settle (runner.retry_policy), not the long backoff: nothing
# listens on the port, or DNS says the name does not exist.
REFUSED = "connection_refused"
NO_SUCH_NAME = "name_not_found"
QUICK_RETRY_CODES = frozenset({REFUSED, NO_SUCH_NAME})


class Failure(Exception):
    """A stage failed. `code` is stable (for grouping), `message` is for people.

    Transient failures (timeouts, connection errors, HTTP 429 and 5xx) are retried with
    backoff (a refused connection or an unknown name only a few times, quickly: see
    runner.retry_policy); the
    others end the source's pipeline at once.
    """

    def __init__(
        self, code: str, message: str, *, transient: bool = False, retry_after: float | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after


class Blocked(Exception):
    """The page is an interstitial (challenge, login or cookie wall, paywall)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class NoContent(Exception):
    """The page has (almost) no main text."""
