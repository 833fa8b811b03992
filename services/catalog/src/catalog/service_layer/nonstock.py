"""Catalog (nonstock) items: offered but not kept, until converted into an inventory item."""

from dataclasses import replace

import asyncpg

from catalog.adapters.repository import ItemReference, ItemRepository, ItemTemplate, NonstockItem, NonstockRepository, NonstockSetup, ReferenceRepository
from catalog.domain.errors import MasterDataExistsError, NotFoundInCatalogError, UnknownReferenceError
from catalog.domain.model import Item
from catalog.domain.numbering import NonstockNoFormat, nonstock_item_no, series_no
from catalog.service_layer import items

VENDOR = "Vendor"


async def create_nonstock_item(conn: asyncpg.Connection, nonstock: NonstockItem) -> NonstockItem:
    repository = NonstockRepository(conn)
    if await repository.template(nonstock.item_template_code) is None:
        raise UnknownReferenceError(f"item template {nonstock.item_template_code} does not exist")
    entry_no = await repository.add(nonstock)
    if entry_no is None:
        raise MasterDataExistsError(
            f"vendor {nonstock.vendor_no} already has catalog item {nonstock.vendor_item_no} "
            f"(manufacturer {nonstock.manufacturer_code or 'none'})"
        )
    return replace(nonstock, entry_no=entry_no)


async def get_nonstock_item(conn: asyncpg.Connection, entry_no: int, *, for_update: bool = False) -> NonstockItem:
    nonstock = await NonstockRepository(conn).get(entry_no, for_update=for_update)
    if nonstock is None:
        raise NotFoundInCatalogError(f"catalog item {entry_no} does not exist", entry_no=entry_no)
    return nonstock


async def convert(conn: asyncpg.Connection, entry_no: int) -> tuple[Item, bool]:
    """The inventory item of a catalog item, created on the first call (with a vendor item reference).

    Returns the item and whether it was created now; a second call returns the same item.
    """
    # The row lock serialises two conversions of the same entry: the second sees the first's item no.
    nonstock = await get_nonstock_item(conn, entry_no, for_update=True)
    if nonstock.item_no:
        return await items.get_item(conn, nonstock.item_no), False
    repository = NonstockRepository(conn)
    template = await repository.template(nonstock.item_template_code)
    assert template is not None
    setup = await repository.setup(for_update=True)
    fmt = NonstockNoFormat(setup.no_format)
    next_no = series_no(setup.no_series_prefix, setup.no_series_next, setup.no_series_width)
    item_no = nonstock_item_no(
        fmt, entry_no=entry_no, vendor_item_no=nonstock.vendor_item_no, manufacturer_code=nonstock.manufacturer_code,
        separator=setup.no_format_separator, next_series_no=next_no,
    )
    if fmt == NonstockNoFormat.NO_SERIES:
        await repository.save_setup(replace(setup, no_series_next=setup.no_series_next + 1))
    item = await items.create_item(conn, _item_from(nonstock, template, item_no))
    await repository.set_item_no(entry_no, item_no)
    await ReferenceRepository(conn).add(ItemReference(
        item_no=item_no, reference_type=VENDOR, reference_type_no=nonstock.vendor_no,
        reference_no=nonstock.vendor_item_no, unit_of_measure=nonstock.unit_of_measure, description=nonstock.description,
    ))
    return item, True


def _item_from(nonstock: NonstockItem, template: ItemTemplate, item_no: str) -> Item:
    return Item(
        item_no=item_no,
        description=nonstock.description,
        type=template.type,
        base_unit_of_measure=nonstock.unit_of_measure,
        costing_method=template.costing_method,
        inventory_posting_group=template.inventory_posting_group,
        gen_prod_posting_group=template.gen_prod_posting_group,
        standard_cost=nonstock.negotiated_cost,
        unit_price=nonstock.unit_price,
        prevent_negative_inventory=template.prevent_negative_inventory,
        item_category_code=template.item_category_code,
        item_tracking_code=template.item_tracking_code,
        nonstock_entry_no=nonstock.entry_no,
    )


async def put_setup(conn: asyncpg.Connection, setup: NonstockSetup) -> NonstockSetup:
    await NonstockRepository(conn).save_setup(setup)
    return setup


async def put_template(conn: asyncpg.Connection, template: ItemTemplate) -> ItemTemplate:
    try:
        async with conn.transaction():
            await NonstockRepository(conn).upsert_template(template)
    except asyncpg.ForeignKeyViolationError as exc:
        raise UnknownReferenceError(f"item template {template.code}: {exc.detail or exc}") from exc
    return template


async def item_exists(conn: asyncpg.Connection, item_no: str) -> bool:
    return await ItemRepository(conn).get(item_no) is not None
