"""Every error of the ledger, under one base. Those a client can meet carry their problem status, slug and title."""

from servicekit.errors import ServiceError


class LedgerError(ServiceError):
    """Base of every error raised by the ledger."""


class PostingRuleError(LedgerError):
    """No G/L posting rule exists for this item ledger entry type, value entry type and cost kind."""


class MissingAccountError(LedgerError):
    """The posting setup leaves blank an account that a value entry needs."""


class PostingSetupMissingError(MissingAccountError):
    """No inventory or general posting setup exists for a value entry's location and posting groups."""


class BlockedAccountError(LedgerError):
    """A value entry would post to a G/L account that is blocked."""


class AccountExistsError(LedgerError):
    """A G/L account with that number exists already."""

    status, slug, title = 409, "account-exists", "G/L account exists"


class AccountNotFoundError(LedgerError):
    """The G/L account named in the path does not exist."""

    status, slug, title = 404, "account-not-found", "G/L account not found"


class PostingSetupNotFoundError(LedgerError):
    """There is no posting setup for the combination of groups (and location) named in the path."""

    status, slug, title = 404, "posting-setup-not-found", "Posting setup not found"


class UnknownAccountError(LedgerError):
    """A posting setup names a G/L account that is not in the chart of accounts."""

    status, slug, title = 422, "unknown-account", "Unknown G/L account"


class CostingUnavailableError(LedgerError):
    """Costing's valuation could not be read; reconciliation waits for the next round."""

    status, slug, title = 503, "costing-unavailable", "Costing unavailable"
