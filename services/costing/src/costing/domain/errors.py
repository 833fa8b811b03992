"""The errors of costing: one base, each error carrying the problem details (status, slug, title) it answers with."""

from servicekit.errors import ServiceError


class CostingError(ServiceError):
    """Base of every error raised by the costing domain: costing refused the request; `detail` says why."""

    status, slug, title = 422, "costing-refused", "Costing refused the request"


CostingDomainError = CostingError


class InvalidQuantityError(CostingError):
    """A quantity has the wrong sign for what is being valued."""


class CostLayerOverdrawnError(CostingError):
    """More quantity was asked of a cost layer than it still holds."""


class UnknownCostLayerError(CostingError):
    """An application names an inbound entry that has no cost layer."""


class UnsupportedCostingMethodError(CostingError):
    """An entry costing cannot value yet; it is dead-lettered for replay once it can."""


class UnknownCostSourceError(CostingError):
    """An inbound entry applies from an outbound entry costing has not valued, or an outbound entry is fixed-applied
    to an inbound entry costing has not valued as its costing method's."""


class InvalidChargeError(CostingError):
    """An item charge cannot be split as asked."""

    status, slug, title = 422, "invalid-item-charge", "Invalid item charge"


class InvalidRevaluationError(CostingError):
    """A revaluation names no new cost, a negative one, or nothing on hand."""

    status, slug, title = 422, "invalid-revaluation", "Invalid revaluation"


class NotAReceiptError(CostingError):
    """An item charge is assigned to an entry that is not a posted purchase receipt."""

    status, slug, title = 422, "not-a-receipt", "Not a purchase receipt"


class UnknownItemLedgerEntryError(CostingError):
    """A request names an item ledger entry (or item) costing has not valued."""

    status, slug, title = 404, "unknown-item-ledger-entry", "Unknown item ledger entry"


class InvoiceQuantityError(CostingError):
    """An invoice names an entry that takes none, or more than is left to invoice."""


class PostingDateClosedError(CostingError):
    """A posting dated before the first open date: before the allowed posting dates or in a closed inventory period."""

    status, slug, title = 422, "posting-date-closed", "Posting date not open"


class CostAdjustmentLoopError(CostingError):
    """Forwarding a cost change does not settle."""


class UnknownItemError(CostingError):
    """A request names an item costing does not know: no card of it has reached costing's replica."""

    status, slug, title = 404, "unknown-item", "Unknown item"


class NotAStandardItemError(CostingError):
    """The standard cost worksheet changes the standard cost of Standard items only: only their inventory is
    carried at the standard cost."""

    status, slug, title = 422, "not-a-standard-item", "Not a Standard item"


class InvalidStandardCostError(CostingError):
    """A new standard cost (or the adjustment that suggests it) is negative or beyond the largest unit cost."""

    status, slug, title = 422, "invalid-standard-cost", "Invalid standard cost"


class UnknownWorksheetLineError(CostingError):
    """The standard cost worksheet has no line for the item."""

    status, slug, title = 404, "unknown-worksheet-line", "Unknown standard cost worksheet line"


class OutsideResponsibilityCenterError(CostingError):
    """The caller's token ties it to one responsibility center (its `responsibility_center` claim) and the request
    asks for another's values."""

    status, slug, title = 403, "outside-responsibility-center", "Outside the caller's responsibility center"


class CenterLocationsUnavailableError(CostingError):
    """The warehouse, which knows which locations belong to a responsibility center, could not be asked; retry."""

    status, slug, title = 503, "warehouse-unavailable", "Warehouse unavailable"



class InvalidAssemblyOutputError(CostingError):
    """An assembly output's share of its posting cannot be told: its position or quantity does not match the
    posting's output quantities."""
