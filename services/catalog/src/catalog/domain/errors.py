"""Errors of the catalog: one base, each error carrying its problem status, title and type (servicekit renders them)."""

from servicekit.errors import ServiceError


class CatalogError(ServiceError):
    """Base of the catalog's domain errors."""


class ItemExistsError(CatalogError):
    """An item with that number exists already; change it with PATCH instead."""

    status, title, slug = 409, "Item exists", "item-exists"


class ItemNotFoundError(CatalogError):
    """No item card has that number."""

    status, title, slug = 404, "Item not found", "item-not-found"


class CostingMethodNotSupportedError(CatalogError):
    """The costing method is not one the platform values."""

    status, title, slug = 422, "Costing method not supported", "costing-method-not-supported"


class InvalidItemCardError(CatalogError):
    """The item card contradicts itself or its master data (units of measure, variants, costs)."""

    status, title, slug = 422, "Invalid item card", "invalid-item-card"


class SpecificCostingNeedsSerialTrackingError(CatalogError):
    """An item costed Specific must have an item tracking code with serial-specific tracking."""

    status, title, slug = 422, "Specific costing needs serial-specific tracking", "specific-costing-needs-serial-tracking"


class CostingMethodLockedError(CatalogError):
    """The item has ledger entries, so its costing method can no longer change."""

    status, title, slug = 409, "Costing method locked", "costing-method-locked"


class ItemHasLedgerEntriesError(CatalogError):
    """The item has ledger entries, so it cannot be deleted (block it instead)."""

    status, title, slug = 409, "Item has ledger entries", "item-has-ledger-entries"


class PreconditionFailedError(CatalogError):
    """The If-Match header names an older revision of the card than the current one: read it again and retry."""

    status, title, slug = 412, "Precondition failed", "stale-revision"


class PreconditionRequiredError(CatalogError):
    """Changing an item card needs an If-Match header with the revision (ETag) it was read at."""

    status, title, slug = 428, "Precondition required", "if-match-required"


class UnknownReferenceError(CatalogError):
    """A code that names master data which does not exist (category, attribute, tracking code, template)."""

    status, title, slug = 422, "Unknown master data", "unknown-master-data"


class InvalidAttributeValueError(CatalogError):
    """An attribute value does not fit the attribute's type or its list of values."""

    status, title, slug = 422, "Invalid attribute value", "invalid-attribute-value"


class AttributeBlockedError(CatalogError):
    """The attribute is blocked and cannot be given to items."""

    status, title, slug = 422, "Attribute blocked", "attribute-blocked"


class InvalidSearchError(CatalogError):
    """The search or filter parameters cannot be understood."""

    status, title, slug = 422, "Invalid search", "invalid-search"


class NotFoundInCatalogError(CatalogError):
    """The category, attribute, template, nonstock item or reference named does not exist."""

    status, title, slug = 404, "Not found", "not-found"


class MasterDataExistsError(CatalogError):
    """Master data (category, attribute, unit, template...) with that code exists already."""

    status, title, slug = 409, "Already exists", "already-exists"


class CategoryInUseError(CatalogError):
    """The item category still has items or child categories."""

    status, title, slug = 409, "Category in use", "category-in-use"


class CategoryCycleError(CatalogError):
    """The parent category would make a category its own ancestor."""

    status, title, slug = 422, "Category cycle", "category-cycle"


class InvalidNumberError(CatalogError):
    """The nonstock item cannot be given an item number by the number format and series of the setup."""

    status, title, slug = 422, "Cannot number the item", "invalid-item-number"


class ReferenceExistsError(CatalogError):
    """The item reference exists already for that type, number and unit."""

    status, title, slug = 409, "Item reference exists", "item-reference-exists"
