"""Use cases of the resource card: create, read, change, list."""

from dataclasses import replace
from typing import Any

from servicekit.pagination import decode_cursor, paginate

from catalog.domain.errors import ResourceExistsError, ResourceNotFoundError, UnknownReferenceError
from catalog.domain.resource_allocation import ServiceMasterKind
from catalog.domain.resources import Resource
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def create_resource(uow: CatalogUnitOfWork, resource: Resource) -> Resource:
    await check_service_zone(uow, resource.service_zone_code)
    if not await uow.resources.add(resource):
        raise ResourceExistsError(f"resource {resource.no} exists already", resource_no=resource.no)
    return resource


async def get_resource(uow: CatalogUnitOfWork, no: str, *, for_update: bool = False) -> Resource:
    resource = await uow.resources.get(no, for_update=for_update)
    if resource is None:
        raise ResourceNotFoundError(f"resource {no} does not exist", resource_no=no)
    return resource


async def update_resource(uow: CatalogUnitOfWork, no: str, changes: dict[str, Any]) -> Resource:
    """Change the named fields of the card; the unit cost follows the direct unit cost and the indirect cost %."""
    resource = replace(await get_resource(uow, no, for_update=True), **changes)
    await check_service_zone(uow, resource.service_zone_code)
    await uow.resources.update(resource)
    return resource


async def list_resources(uow: CatalogUnitOfWork, limit: int, cursor: str | None) -> tuple[list[Resource], str | None]:
    """A page of resources in number order and the cursor of the next page (None on the last)."""
    after = decode_cursor(cursor) or ""
    found = await uow.resources.list_after(str(after), limit + 1)
    return paginate(found, limit, lambda resource: resource.no)


async def check_service_zone(uow: CatalogUnitOfWork, code: str) -> None:
    """A service zone code must name a service zone, or be empty."""
    if code and await uow.resource_allocation.get_code(ServiceMasterKind.SERVICE_ZONES, code) is None:
        raise UnknownReferenceError(f"service zone {code} does not exist", service_zone_code=code)
