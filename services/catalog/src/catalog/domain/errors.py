from servicekit.errors import ConflictError, NotFoundError, UnprocessableError


class CatalogError(Exception):
    """Base of the catalog's domain errors."""


class ItemExistsError(ConflictError, CatalogError):
    title, slug = "Item exists", "item-exists"


class ItemNotFoundError(NotFoundError, CatalogError):
    title, slug = "Item not found", "item-not-found"


class CostingMethodNotSupportedError(UnprocessableError, CatalogError):
    title, slug = "Costing method not supported", "costing-method-not-supported"
