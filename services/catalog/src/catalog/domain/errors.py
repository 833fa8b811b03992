"""Errors of the catalog: one base, each error carrying its problem status, title and type (servicekit renders them)."""

from servicekit.errors import ServiceError


class CatalogError(ServiceError):
    """Base of the catalog's domain errors."""


class ItemExistsError(CatalogError):
    """An item with that number exists already; change it with PATCH instead."""

    status, slug, title = 409, "item-exists", "Item exists"


class ItemNotFoundError(CatalogError):
    """No item card has that number."""

    status, slug, title = 404, "item-not-found", "Item not found"


class CostingMethodNotSupportedError(CatalogError):
    """The costing method is not one the platform values."""

    status, slug, title = 422, "costing-method-not-supported", "Costing method not supported"


class InvalidItemCardError(CatalogError):
    """The item card contradicts itself or its master data (units of measure, variants, costs)."""

    status, slug, title = 422, "invalid-item-card", "Invalid item card"


class SpecificCostingNeedsSerialTrackingError(CatalogError):
    """An item costed Specific must have an item tracking code with serial-specific tracking."""

    status, slug, title = 422, "specific-costing-needs-serial-tracking", "Specific costing needs serial-specific tracking"


class CostingMethodLockedError(CatalogError):
    """The item has ledger entries, so its costing method can no longer change."""

    status, slug, title = 409, "costing-method-locked", "Costing method locked"


class ItemHasLedgerEntriesError(CatalogError):
    """The item has ledger entries, so it cannot be deleted (block it instead)."""

    status, slug, title = 409, "item-has-ledger-entries", "Item has ledger entries"


class PreconditionFailedError(CatalogError):
    """The If-Match header names an older revision of the card than the current one: read it again and retry."""

    status, slug, title = 412, "stale-revision", "Precondition failed"


class PreconditionRequiredError(CatalogError):
    """Changing an item card needs an If-Match header with the revision (ETag) it was read at."""

    status, slug, title = 428, "if-match-required", "Precondition required"


class UnknownReferenceError(CatalogError):
    """A code that names master data which does not exist (category, attribute, tracking code, template)."""

    status, slug, title = 422, "unknown-master-data", "Unknown master data"


class InvalidAttributeValueError(CatalogError):
    """An attribute value does not fit the attribute's type or its list of values."""

    status, slug, title = 422, "invalid-attribute-value", "Invalid attribute value"


class AttributeBlockedError(CatalogError):
    """The attribute is blocked and cannot be given to items."""

    status, slug, title = 422, "attribute-blocked", "Attribute blocked"


class InvalidSearchError(CatalogError):
    """The search or filter parameters cannot be understood."""

    status, slug, title = 422, "invalid-search", "Invalid search"


class NotFoundInCatalogError(CatalogError):
    """The category, attribute, template, nonstock item or reference named does not exist."""

    status, slug, title = 404, "not-found", "Not found"


class MasterDataExistsError(CatalogError):
    """Master data (category, attribute, unit, template...) with that code exists already."""

    status, slug, title = 409, "already-exists", "Already exists"


class CategoryInUseError(CatalogError):
    """The item category still has items or child categories."""

    status, slug, title = 409, "category-in-use", "Category in use"


class CategoryCycleError(CatalogError):
    """The parent category would make a category its own ancestor."""

    status, slug, title = 422, "category-cycle", "Category cycle"


class InvalidNumberError(CatalogError):
    """The nonstock item cannot be given an item number by the number format and series of the setup."""

    status, slug, title = 422, "invalid-item-number", "Cannot number the item"


class ReferenceExistsError(CatalogError):
    """The item reference exists already for that type, number and unit."""

    status, slug, title = 409, "item-reference-exists", "Item reference exists"


class InvalidAssemblyBomError(CatalogError):
    """An assembly BOM line names no existing component, a unit the component lacks, or mixes the fields of its type."""

    status, slug, title = 422, "invalid-assembly-bom", "Invalid assembly BOM"


class AssemblyBomCycleError(CatalogError):
    """The BOM would make the item a component of itself, at some level of its sub-assemblies."""

    status, slug, title = 422, "assembly-bom-cycle", "Assembly BOM cycle"


class ItemUsedInAssemblyBomError(CatalogError):
    """The item is a component in another item's assembly BOM, so it cannot be deleted (remove it from the BOM first)."""

    status, slug, title = 409, "item-used-in-assembly-bom", "Item used in an assembly BOM"


class ResourceExistsError(CatalogError):
    """A resource with that number exists already; change it with PATCH instead."""

    status, slug, title = 409, "resource-exists", "Resource exists"


class ResourceNotFoundError(CatalogError):
    """No resource card has that number."""

    status, slug, title = 404, "resource-not-found", "Resource not found"


class ResourceNotQualifiedError(CatalogError):
    """The resource may not take the line: it lacks a skill the line requires, is outside the customer's service
    zone, or is blocked."""

    status, slug, title = 422, "resource-not-qualified", "Resource not qualified"


class InsufficientCapacityError(CatalogError):
    """The resource has fewer hours free on that day than asked: its capacity less its active allocations."""

    status, slug, title = 409, "insufficient-capacity", "Insufficient capacity"


class LineAllocatedToOtherResourceError(CatalogError):
    """The line has an active allocation to another resource; cancel it before allocating a different one."""

    status, slug, title = 409, "line-allocated-to-other-resource", "Line allocated to another resource"


class InvalidPeriodError(CatalogError):
    """The period asked for ends before it starts, or is longer than the service answers for at once."""

    status, slug, title = 422, "invalid-period", "Invalid period"


class InvalidServiceOrderError(CatalogError):
    """The service order contradicts itself (line numbers twice, a line without hours)."""

    status, slug, title = 422, "invalid-service-order", "Invalid service order"
