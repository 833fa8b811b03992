class CostingDomainError(Exception):
    """Base of every error raised by the costing domain."""


class InvalidQuantityError(CostingDomainError):
    """A quantity has the wrong sign for what is being valued."""


class CostLayerOverdrawnError(CostingDomainError):
    """More quantity was asked of a cost layer than it still holds."""


class UnknownCostLayerError(CostingDomainError):
    """An application names an inbound entry that has no cost layer."""


class UnsupportedCostingMethodError(CostingDomainError):
    """An entry costing cannot value yet; it is dead-lettered for replay once it can."""


class UnknownCostSourceError(CostingDomainError):
    """An inbound entry applies from an outbound entry costing has not valued."""
