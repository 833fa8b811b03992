"""Errors of the warehouse: each a ServiceError carrying its status, problem type and title."""

from servicekit.errors import ServiceError


class WarehouseError(ServiceError):
    """Base of every error raised by the warehouse domain."""


class ApplicationError(WarehouseError):
    """An item application was asked with quantities of the wrong sign: a fault of the service, not of the request."""

    status, slug, title = 500, "internal", "Internal error"


class PostingRefusedError(WarehouseError):
    """A posting the rules do not allow; nothing of its document is written."""

    status, slug, title = 422, "posting-refused", "Posting refused"


class InvalidJournalLineError(PostingRefusedError):
    """A journal or document line the warehouse cannot post: a quantity that is not positive or beyond the shared limit (also after conversion to the base unit), a unit cost missing, given where none belongs, or beyond the limit, an applies-to entry that is no inbound entry of the line's item and place."""

    status, slug, title = 422, "invalid-journal-line", "Invalid journal line"


class UnknownItemError(PostingRefusedError):
    """A line names an item the warehouse does not know (it learns item cards from the catalog)."""

    status, slug, title = 422, "unknown-item", "Unknown item"


class NotAnInventoryItemError(PostingRefusedError):
    """A line names a Service or Non-Inventory item, which has no stock."""

    status, slug, title = 422, "not-an-inventory-item", "Not an inventory item"


class ItemBlockedError(PostingRefusedError):
    """The item is blocked, or blocked for the kind of posting the line is (sales or purchasing)."""

    status, slug, title = 422, "item-blocked", "Item blocked"


class InsufficientInventoryError(PostingRefusedError):
    """An outbound line takes more than is on hand and the item may not go negative; `on_hand` says what there is."""

    status, slug, title = 409, "insufficient-inventory", "Insufficient inventory"


class UnknownLocationError(PostingRefusedError):
    """A line names a location that does not exist."""

    status, slug, title = 422, "unknown-location", "Unknown location"


class InTransitLocationError(PostingRefusedError):
    """Only transfers post to an in-transit location; an item journal or a reservation may not."""

    status, slug, title = 422, "in-transit-location", "In-transit location"


class BinRequiredError(PostingRefusedError):
    """The location is bin mandatory and the line names no bin."""

    status, slug, title = 422, "bin-required", "Bin required"


class UnknownBinError(PostingRefusedError):
    """The bin is not one of the location's bins (or the location has no bins)."""

    status, slug, title = 422, "unknown-bin", "Unknown bin"


class InsufficientBinContentError(PostingRefusedError):
    """An outbound line takes more from a bin than the bin holds."""

    status, slug, title = 409, "insufficient-bin-content", "Insufficient bin content"


class PostingDateNotAllowedError(PostingRefusedError):
    """The posting date is outside the allowed posting dates of the inventory setup."""

    status, slug, title = 422, "posting-date-not-allowed", "Posting date not allowed"


class InventoryPeriodClosedError(PostingRefusedError):
    """The posting date falls in a closed inventory period."""

    status, slug, title = 422, "inventory-period-closed", "Inventory period closed"


class InventoryPeriodChangeError(WarehouseError):
    """An inventory period cannot be closed or reopened in the state the periods are in."""

    status, slug, title = 409, "inventory-period-change-refused", "Inventory period change refused"


class InvalidLocationError(WarehouseError):
    """A location's settings contradict each other, or the code is taken."""

    status, slug, title = 422, "invalid-location", "Invalid location"


class AlreadyExistsError(WarehouseError):
    """A location or bin with that code exists already."""

    status, slug, title = 409, "already-exists", "Already exists"


class UnknownVariantError(PostingRefusedError):
    """The line names a variant the item does not have."""

    status, slug, title = 422, "unknown-variant", "Unknown variant"


class UnknownUnitOfMeasureError(PostingRefusedError):
    """The line names a unit of measure the item does not have."""

    status, slug, title = 422, "unknown-unit-of-measure", "Unknown unit of measure"


class ItemTrackingError(PostingRefusedError):
    """Serial or lot numbers or expiration dates missing, superfluous, duplicated or not adding up to the line."""

    status, slug, title = 422, "item-tracking", "Item tracking refused"


class SerialNoInStockError(PostingRefusedError):
    """An inbound serial number that is in stock already: a serial is in stock at most once."""

    status, slug, title = 422, "serial-no-in-stock", "Serial number already in stock"


class TrackingNotInStockError(PostingRefusedError):
    """A specific-tracked outbound names a serial or lot number that is not in stock where it posts."""

    status, slug, title = 422, "tracking-not-in-stock", "Serial or lot number not in stock"


class ExpiredError(PostingRefusedError):
    """Strict expiration: a serial or lot number past its expiration date cannot leave."""

    status, slug, title = 422, "expired", "Expired serial or lot number"


class DocumentStateError(WarehouseError):
    """A transfer or physical inventory order is asked for a step its state does not allow."""

    status, slug, title = 409, "document-state", "Not allowed in the document's state"


class InvalidDocumentError(PostingRefusedError):
    """A transfer order, reclassification or physical inventory order whose content the rules refuse."""

    status, slug, title = 422, "invalid-document", "Invalid document"


class InvalidAvailabilityQueryError(WarehouseError):
    """An availability question the service cannot answer, e.g. periods that end before they start."""

    status, slug, title = 422, "invalid-availability-query", "Invalid availability query"


class AverageCostSetupFixedError(WarehouseError):
    """The average-cost period or calculation type cannot change once item ledger entries exist."""

    status, slug, title = 409, "average-cost-setup-fixed", "Average cost setup fixed"


class AssemblyPolicyError(PostingRefusedError):
    """An Assemble-to-Order item is assembled only for the sales line that orders it, never to stock."""

    status, slug, title = 422, "assembly-policy", "Assembled to order only"


class UnknownResourceError(PostingRefusedError):
    """An assembly line names a resource the catalog does not know."""

    status, slug, title = 422, "unknown-resource", "Unknown resource"


class CatalogUnavailableProblem(WarehouseError):
    """The catalog could not be asked for what the request needs (a resource's costs); nothing was written."""

    status, slug, title = 503, "catalog-unavailable", "Catalog unavailable"
