class LedgerDomainError(Exception):
    """Base of every error raised by the ledger domain."""


class PostingRuleError(LedgerDomainError):
    """No G/L posting rule exists for this item ledger entry type, value entry type and cost kind."""


class MissingAccountError(LedgerDomainError):
    """The posting setup leaves blank an account that a value entry needs."""


class PostingSetupMissingError(MissingAccountError):
    """No inventory or general posting setup exists for a value entry's location and posting groups."""


class BlockedAccountError(LedgerDomainError):
    """A value entry would post to a G/L account that is blocked."""


class RefusedError(LedgerDomainError):
    """A request the ledger refuses; nothing of it is written."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class AccountExistsError(RefusedError):
    """A G/L account with that number exists already."""


class AccountNotFoundError(RefusedError):
    """The G/L account named in the path does not exist."""


class PostingSetupNotFoundError(RefusedError):
    """There is no posting setup for the combination of groups (and location) named in the path."""


class UnknownAccountError(RefusedError):
    """A posting setup names a G/L account that is not in the chart of accounts."""
