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
