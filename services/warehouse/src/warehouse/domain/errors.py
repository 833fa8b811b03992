class WarehouseDomainError(Exception):
    """Base of every error raised by the warehouse domain."""

    detail: str = ""
    extensions: dict[str, object] = {}


class ApplicationError(WarehouseDomainError):
    """An item application was asked with quantities of the wrong sign."""


class PostingRefusedError(WarehouseDomainError):
    """A posting the rules do not allow; nothing of its document is written."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidJournalLineError(PostingRefusedError):
    """A journal or document line the warehouse cannot post: a quantity that is not positive or beyond the shared limit (also after conversion to the base unit), a unit cost missing, given where none belongs, or beyond the limit, an applies-to entry that is no inbound entry of the line's item and place."""


class UnknownItemError(PostingRefusedError):
    """A line names an item the warehouse does not know (it learns item cards from the catalog)."""


class NotAnInventoryItemError(PostingRefusedError):
    """A line names a Service or Non-Inventory item, which has no stock."""


class ItemBlockedError(PostingRefusedError):
    """The item is blocked, or blocked for the kind of posting the line is (sales or purchasing)."""


class InsufficientInventoryError(PostingRefusedError):
    """An outbound line takes more than is on hand and the item may not go negative; `on_hand` says what there is."""


class UnknownLocationError(PostingRefusedError):
    """A line names a location that does not exist."""


class InTransitLocationError(PostingRefusedError):
    """Only transfers post to an in-transit location; an item journal or a reservation may not."""


class BinRequiredError(PostingRefusedError):
    """The location is bin mandatory and the line names no bin."""


class UnknownBinError(PostingRefusedError):
    """The bin is not one of the location's bins (or the location has no bins)."""


class InsufficientBinContentError(PostingRefusedError):
    """An outbound line takes more from a bin than the bin holds."""


class PostingDateNotAllowedError(PostingRefusedError):
    """The posting date is outside the allowed posting dates of the inventory setup."""


class InventoryPeriodClosedError(PostingRefusedError):
    """The posting date falls in a closed inventory period."""


class InventoryPeriodChangeError(WarehouseDomainError):
    """An inventory period cannot be closed or reopened in the state the periods are in."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidLocationError(WarehouseDomainError):
    """A location's settings contradict each other, or the code is taken."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class AlreadyExistsError(WarehouseDomainError):
    """A location or bin with that code exists already."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class UnknownVariantError(PostingRefusedError):
    """The line names a variant the item does not have."""


class UnknownUnitOfMeasureError(PostingRefusedError):
    """The line names a unit of measure the item does not have."""


class ItemTrackingError(PostingRefusedError):
    """Serial or lot numbers or expiration dates missing, superfluous, duplicated or not adding up to the line."""


class SerialNoInStockError(PostingRefusedError):
    """An inbound serial number that is in stock already: a serial is in stock at most once."""


class TrackingNotInStockError(PostingRefusedError):
    """A specific-tracked outbound names a serial or lot number that is not in stock where it posts."""


class ExpiredError(PostingRefusedError):
    """Strict expiration: a serial or lot number past its expiration date cannot leave."""


class DocumentStateError(WarehouseDomainError):
    """A transfer or physical inventory order is asked for a step its state does not allow."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidDocumentError(PostingRefusedError):
    """A transfer order, reclassification or physical inventory order whose content the rules refuse."""


class InvalidAvailabilityQueryError(WarehouseDomainError):
    """An availability question the service cannot answer, e.g. periods that end before they start."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class AverageCostSetupFixedError(WarehouseDomainError):
    """The average-cost period or calculation type cannot change once item ledger entries exist."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions
