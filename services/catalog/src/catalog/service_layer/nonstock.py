"""Catalog (nonstock) items: offered but not kept, until converted into an inventory item."""

from dataclasses import replace

from servicekit.pagination import decode_cursor, paginate

from catalog.domain.errors import MasterDataExistsError, NotFoundInCatalogError, UnknownReferenceError
from catalog.domain.model import Item, ItemReference, ItemTemplate, NonstockItem, NonstockSetup
from catalog.domain.numbering import NonstockNoFormat, nonstock_item_no, series_no
from catalog.service_layer import items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

VENDOR = "Vendor"


async def create_nonstock_item(uow: CatalogUnitOfWork, nonstock: NonstockItem) -> NonstockItem:
    repository = uow.nonstock
    if await repository.template(nonstock.item_template_code) is None:
        raise UnknownReferenceError(f"item template {nonstock.item_template_code} does not exist")
    entry_no = await repository.add(nonstock)
    if entry_no is None:
        raise MasterDataExistsError(
            f"vendor {nonstock.vendor_no} already has catalog item {nonstock.vendor_item_no} "
            f"(manufacturer {nonstock.manufacturer_code or 'none'})"
        )
    return replace(nonstock, entry_no=entry_no)


async def get_nonstock_item(uow: CatalogUnitOfWork, entry_no: int, *, for_update: bool = False) -> NonstockItem:
    nonstock = await uow.nonstock.get(entry_no, for_update=for_update)
    if nonstock is None:
        raise NotFoundInCatalogError(f"catalog item {entry_no} does not exist", entry_no=entry_no)
    return nonstock


async def convert(uow: CatalogUnitOfWork, entry_no: int) -> tuple[Item, bool]:
    """The inventory item of a catalog item, created on the first call (with a vendor item reference).

    Returns the item and whether it was created now; a second call returns the same item.
    """
    # The row lock serialises two conversions of the same entry: the second sees the first's item no.
    nonstock = await get_nonstock_item(uow, entry_no, for_update=True)
    if nonstock.item_no:
        return await items.get_item(uow, nonstock.item_no), False
    repository = uow.nonstock
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
    item = await items.create_item(uow, _item_from(nonstock, template, item_no))
    await repository.set_item_no(entry_no, item_no)
    await uow.references.add(ItemReference(
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


async def put_setup(uow: CatalogUnitOfWork, setup: NonstockSetup) -> NonstockSetup:
    await uow.nonstock.save_setup(setup)
    return setup


async def get_setup(uow: CatalogUnitOfWork) -> NonstockSetup:
    return await uow.nonstock.setup()


async def put_template(uow: CatalogUnitOfWork, template: ItemTemplate) -> ItemTemplate:
    """Create or change a template; one naming a category or tracking code that does not exist is refused."""
    await uow.nonstock.upsert_template(template)
    return template


async def list_templates(uow: CatalogUnitOfWork) -> list[ItemTemplate]:
    return await uow.nonstock.templates()


async def list_nonstock_items(uow: CatalogUnitOfWork, limit: int, cursor: str | None) -> tuple[list[NonstockItem], str | None]:
    """A page of catalog items in entry order and the cursor of the next page (None on the last)."""
    after = decode_cursor(cursor) or 0
    found = await uow.nonstock.list_after(int(after), limit + 1)
    return paginate(found, limit, lambda nonstock: nonstock.entry_no)
