"""Inventory and general posting setup, both of the same shape.

A posting setup is addressed by its two codes, either in the path or, because a blank code (the
blank location, the blank general business posting group) cannot be a path segment, as query
parameters on the collection path: `/general-posting-setup?gen_bus_posting_group=&gen_prod_posting_group=RETAIL`.
"""

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.errors import UnprocessableError

from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup
from ledger.entrypoints.routes.common import PROBLEM, posted_pending
from ledger.entrypoints.schemas import (
    GeneralPostingSetupIn,
    GeneralPostingSetupOut,
    GeneralPostingSetupSaved,
    InventoryPostingSetupIn,
    InventoryPostingSetupOut,
    InventoryPostingSetupSaved,
)
from ledger.service_layer import setup

router = APIRouter(tags=["posting setup"])

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

_CODE = re.compile(r"[A-Za-z0-9_.\-/]{0,20}")


def _code(name: str, value: str, *, blank: bool = True) -> str:
    if not _CODE.fullmatch(value) or (not value and not blank):
        raise UnprocessableError(f"{name} {value!r} is not a valid code", parameter=name)
    return value


def _at_both_paths(method: str, collection: str, first: str, second: str, response_model: type) -> Callable[[Endpoint], Endpoint]:
    """Register the endpoint at `collection/{first}/{second}` and at `collection` (the codes as query parameters)."""
    reading = method == "GET"
    options: dict[str, Any] = dict(
        response_model=response_model,
        responses={404: PROBLEM} if reading else {422: PROBLEM},
        dependencies=[requires("ledger:read" if reading else "ledger:admin")],
    )

    def register(endpoint: Endpoint) -> Endpoint:
        router.api_route(collection, methods=[method], **options)(endpoint)
        router.api_route(f"{collection}/{{{first}}}/{{{second}}}", methods=[method], **options)(endpoint)
        return endpoint

    return register


@_at_both_paths("GET", "/inventory-posting-setup", "location_code", "inventory_posting_group", InventoryPostingSetupOut)
async def get_inventory_posting_setup(
    location_code: str, inventory_posting_group: str, runtime: Runtime
) -> InventoryPostingSetupOut:
    async with runtime.reading() as uow:
        found = await setup.get_inventory_posting_setup(uow, (location_code, inventory_posting_group))
    return InventoryPostingSetupOut(location_code=location_code, inventory_posting_group=inventory_posting_group, **asdict(found))


@_at_both_paths("PUT", "/inventory-posting-setup", "location_code", "inventory_posting_group", InventoryPostingSetupSaved)
async def put_inventory_posting_setup(
    location_code: str, inventory_posting_group: str, body: InventoryPostingSetupIn, runtime: Runtime
) -> InventoryPostingSetupSaved:
    """Create or replace the accounts of a location and inventory posting group; waiting value entries post."""
    key = (_code("location_code", location_code), _code("inventory_posting_group", inventory_posting_group, blank=False))
    async with runtime.unit_of_work() as uow:
        summary = await setup.put_inventory_posting_setup(uow, key, InventoryPostingSetup(**body.model_dump()))
    return InventoryPostingSetupSaved(
        location_code=location_code, inventory_posting_group=inventory_posting_group,
        **body.model_dump(), posted_value_entry_nos=posted_pending(summary),
    )


@_at_both_paths("GET", "/general-posting-setup", "gen_bus_posting_group", "gen_prod_posting_group", GeneralPostingSetupOut)
async def get_general_posting_setup(
    gen_bus_posting_group: str, gen_prod_posting_group: str, runtime: Runtime
) -> GeneralPostingSetupOut:
    async with runtime.reading() as uow:
        found = await setup.get_general_posting_setup(uow, (gen_bus_posting_group, gen_prod_posting_group))
    return GeneralPostingSetupOut(
        gen_bus_posting_group=gen_bus_posting_group, gen_prod_posting_group=gen_prod_posting_group, **asdict(found)
    )


@_at_both_paths("PUT", "/general-posting-setup", "gen_bus_posting_group", "gen_prod_posting_group", GeneralPostingSetupSaved)
async def put_general_posting_setup(
    gen_bus_posting_group: str, gen_prod_posting_group: str, body: GeneralPostingSetupIn, runtime: Runtime
) -> GeneralPostingSetupSaved:
    """Create or replace the accounts of a general posting group pair; waiting value entries post."""
    key = (
        _code("gen_bus_posting_group", gen_bus_posting_group),
        _code("gen_prod_posting_group", gen_prod_posting_group, blank=False),
    )
    async with runtime.unit_of_work() as uow:
        summary = await setup.put_general_posting_setup(uow, key, GeneralPostingSetup(**body.model_dump()))
    return GeneralPostingSetupSaved(
        gen_bus_posting_group=gen_bus_posting_group, gen_prod_posting_group=gen_prod_posting_group,
        **body.model_dump(), posted_value_entry_nos=posted_pending(summary),
    )
