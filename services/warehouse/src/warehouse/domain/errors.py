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
    pass


class UnknownItemError(PostingRefusedError):
    pass


class NotAnInventoryItemError(PostingRefusedError):
    pass


class ItemBlockedError(PostingRefusedError):
    pass


class InsufficientInventoryError(PostingRefusedError):
    pass


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
