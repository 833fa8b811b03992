class CostingDomainError(Exception):
    """Base of every error raised by the costing domain: costing refused the request; `detail` says why."""


class InvalidQuantityError(CostingDomainError):
    """A quantity has the wrong sign for what is being valued."""


class CostLayerOverdrawnError(CostingDomainError):
    """More quantity was asked of a cost layer than it still holds."""


class UnknownCostLayerError(CostingDomainError):
    """An application names an inbound entry that has no cost layer."""


class UnsupportedCostingMethodError(CostingDomainError):
    """An entry costing cannot value yet; it is dead-lettered for replay once it can."""


class UnknownCostSourceError(CostingDomainError):
    """An inbound entry applies from an outbound entry costing has not valued, or an outbound entry is fixed-applied
    to an inbound entry costing has not valued as its costing method's."""


class InvalidChargeError(CostingDomainError):
    """An item charge cannot be split as asked."""


class InvalidRevaluationError(CostingDomainError):
    """A revaluation names no new cost, a negative one, or nothing on hand."""


class NotAReceiptError(CostingDomainError):
    """An item charge is assigned to an entry that is not a posted purchase receipt."""


class UnknownItemLedgerEntryError(CostingDomainError):
    """A request names an item ledger entry (or item) costing has not valued."""


class InvoiceQuantityError(CostingDomainError):
    """An invoice names an entry that takes none, or more than is left to invoice."""


class PostingDateClosedError(CostingDomainError):
    """A posting dated before the first open date: before the allowed posting dates or in a closed inventory period."""


class CostAdjustmentLoopError(CostingDomainError):
    """Forwarding a cost change does not settle."""


class UnknownItemError(CostingDomainError):
    """A request names an item costing does not know: no card of it has reached costing's replica."""


class NotAStandardItemError(CostingDomainError):
    """The standard cost worksheet changes the standard cost of Standard items only: only their inventory is
    carried at the standard cost."""


class InvalidStandardCostError(CostingDomainError):
    """A new standard cost (or the adjustment that suggests it) is negative or beyond the largest unit cost."""


class UnknownWorksheetLineError(CostingDomainError):
    """The standard cost worksheet has no line for the item."""
