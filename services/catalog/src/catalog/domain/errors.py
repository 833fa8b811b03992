"""Errors of the catalog. Each carries its HTTP status and problem type (servicekit renders them)."""

from servicekit.errors import ConflictError, NotFoundError, ServiceError, UnprocessableError


class CatalogError(Exception):
    """Base of the catalog's domain errors."""


class ItemExistsError(ConflictError, CatalogError):
    title, slug = "Item exists", "item-exists"


class ItemNotFoundError(NotFoundError, CatalogError):
    title, slug = "Item not found", "item-not-found"


class CostingMethodNotSupportedError(UnprocessableError, CatalogError):
    title, slug = "Costing method not supported", "costing-method-not-supported"


class InvalidItemCardError(UnprocessableError, CatalogError):
    title, slug = "Invalid item card", "invalid-item-card"


class SpecificCostingNeedsSerialTrackingError(UnprocessableError, CatalogError):
    title, slug = "Specific costing needs serial-specific tracking", "specific-costing-needs-serial-tracking"


class CostingMethodLockedError(ConflictError, CatalogError):
    title, slug = "Costing method locked", "costing-method-locked"


class ItemHasLedgerEntriesError(ConflictError, CatalogError):
    title, slug = "Item has ledger entries", "item-has-ledger-entries"


class PreconditionFailedError(ServiceError, CatalogError):
    status, title, slug = 412, "Precondition failed", "stale-revision"


class PreconditionRequiredError(ServiceError, CatalogError):
    status, title, slug = 428, "Precondition required", "if-match-required"


class UnknownReferenceError(UnprocessableError, CatalogError):
    """A code that names master data which does not exist (category, attribute, tracking code, template)."""

    title, slug = "Unknown master data", "unknown-master-data"


class InvalidAttributeValueError(UnprocessableError, CatalogError):
    title, slug = "Invalid attribute value", "invalid-attribute-value"


class AttributeBlockedError(UnprocessableError, CatalogError):
    title, slug = "Attribute blocked", "attribute-blocked"


class InvalidSearchError(UnprocessableError, CatalogError):
    title, slug = "Invalid search", "invalid-search"


class NotFoundInCatalogError(NotFoundError, CatalogError):
    title, slug = "Not found", "not-found"


class MasterDataExistsError(ConflictError, CatalogError):
    title, slug = "Already exists", "already-exists"


class CategoryInUseError(ConflictError, CatalogError):
    title, slug = "Category in use", "category-in-use"


class CategoryCycleError(UnprocessableError, CatalogError):
    title, slug = "Category cycle", "category-cycle"


class InvalidNumberError(UnprocessableError, CatalogError):
    title, slug = "Cannot number the item", "invalid-item-number"


class ReferenceExistsError(ConflictError, CatalogError):
    title, slug = "Item reference exists", "item-reference-exists"
