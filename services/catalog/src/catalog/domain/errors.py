"""Errors of the catalog. Each carries its HTTP status and problem type (servicekit renders them)."""

from servicekit.errors import ConflictError, NotFoundError, ServiceError, UnprocessableError


class CatalogError(Exception):
    """Base of the catalog's domain errors."""


class ItemExistsError(ConflictError, CatalogError):
    """An item with that number exists already; change it with PATCH instead."""

    title, slug = "Item exists", "item-exists"


class ItemNotFoundError(NotFoundError, CatalogError):
    """No item card has that number."""

    title, slug = "Item not found", "item-not-found"


class CostingMethodNotSupportedError(UnprocessableError, CatalogError):
    """The costing method is not one the platform values."""

    title, slug = "Costing method not supported", "costing-method-not-supported"


class InvalidItemCardError(UnprocessableError, CatalogError):
    """The item card contradicts itself or its master data (units of measure, variants, costs)."""

    title, slug = "Invalid item card", "invalid-item-card"


class SpecificCostingNeedsSerialTrackingError(UnprocessableError, CatalogError):
    """An item costed Specific must have an item tracking code with serial-specific tracking."""

    title, slug = "Specific costing needs serial-specific tracking", "specific-costing-needs-serial-tracking"


class CostingMethodLockedError(ConflictError, CatalogError):
    """The item has ledger entries, so its costing method can no longer change."""

    title, slug = "Costing method locked", "costing-method-locked"


class ItemHasLedgerEntriesError(ConflictError, CatalogError):
    """The item has ledger entries, so it cannot be deleted (block it instead)."""

    title, slug = "Item has ledger entries", "item-has-ledger-entries"


class PreconditionFailedError(ServiceError, CatalogError):
    """The If-Match header names an older revision of the card than the current one: read it again and retry."""

    status, title, slug = 412, "Precondition failed", "stale-revision"


class PreconditionRequiredError(ServiceError, CatalogError):
    """Changing an item card needs an If-Match header with the revision (ETag) it was read at."""

    status, title, slug = 428, "Precondition required", "if-match-required"


class UnknownReferenceError(UnprocessableError, CatalogError):
    """A code that names master data which does not exist (category, attribute, tracking code, template)."""

    title, slug = "Unknown master data", "unknown-master-data"


class InvalidAttributeValueError(UnprocessableError, CatalogError):
    """An attribute value does not fit the attribute's type or its list of values."""

    title, slug = "Invalid attribute value", "invalid-attribute-value"


class AttributeBlockedError(UnprocessableError, CatalogError):
    """The attribute is blocked and cannot be given to items."""

    title, slug = "Attribute blocked", "attribute-blocked"


class InvalidSearchError(UnprocessableError, CatalogError):
    """The search or filter parameters cannot be understood."""

    title, slug = "Invalid search", "invalid-search"


class NotFoundInCatalogError(NotFoundError, CatalogError):
    """The category, attribute, template, nonstock item or reference named does not exist."""

    title, slug = "Not found", "not-found"


class MasterDataExistsError(ConflictError, CatalogError):
    """Master data (category, attribute, unit, template...) with that code exists already."""

    title, slug = "Already exists", "already-exists"


class CategoryInUseError(ConflictError, CatalogError):
    """The item category still has items or child categories."""

    title, slug = "Category in use", "category-in-use"


class CategoryCycleError(UnprocessableError, CatalogError):
    """The parent category would make a category its own ancestor."""

    title, slug = "Category cycle", "category-cycle"


class InvalidNumberError(UnprocessableError, CatalogError):
    """The nonstock item cannot be given an item number by the number format and series of the setup."""

    title, slug = "Cannot number the item", "invalid-item-number"


class ReferenceExistsError(ConflictError, CatalogError):
    """The item reference exists already for that type, number and unit."""

    title, slug = "Item reference exists", "item-reference-exists"
