class LedgerDomainError(Exception):
    """Base of every error raised by the ledger domain."""


class PostingRuleError(LedgerDomainError):
    """No G/L posting rule exists for this item ledger entry type, value entry type and cost kind."""


class MissingAccountError(LedgerDomainError):
    """The posting setup leaves blank an account that a value entry needs."""
