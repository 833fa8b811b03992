"""Maps the warehouse's records to and from integration events."""

from datetime import UTC, date, datetime

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_POSTED_V1, Envelope, new_envelope
from inventory_contracts.catalog import ItemUpserted
from inventory_contracts.warehouse import (
    AssemblyResourceUsage,
    InventorySetupChanged,
    ItemApplication,
    ItemEntryPosted,
    OrderType,
)

from warehouse.domain.model import BomComponent, Item, ItemLedgerEntry, ItemUnit, Variant
from warehouse.domain.periods import InventorySetup
from warehouse.domain.tracking import TrackingRules


def item_entry_posted(entry: ItemLedgerEntry, item: Item) -> Envelope[ItemEntryPosted]:
    payload = ItemEntryPosted(
        entry_no=entry.entry_no,
        item_no=entry.item_no,
        variant_code=entry.variant_code,
        location_code=entry.location_code,
        bin_code=entry.bin_code,
        posting_date=entry.posting_date,
        entry_type=entry.entry_type,
        document_no=entry.document_no,
        document_line_no=entry.document_line_no,
        quantity=entry.quantity,
        unit_cost=entry.unit_cost,
        applies_from_entry=entry.applies_from_entry,
        applies_to_entry=entry.applies_to_entry,
        serial_no=entry.serial_no,
        lot_no=entry.lot_no,
        expiration_date=entry.expiration_date,
        applications=[
            ItemApplication(inbound_entry_no=a.inbound_entry_no, outbound_entry_no=a.outbound_entry_no, quantity=a.quantity)
            for a in entry.applications
        ],
        invoiced_quantity=entry.invoiced_quantity,
        correction=entry.correction,
        costing_method=item.costing_method,
        inventory_posting_group=item.inventory_posting_group,
        gen_prod_posting_group=item.gen_prod_posting_group,
        recorded_at=datetime.now(UTC),
        order_type=OrderType(entry.order_type),
        order_no=entry.order_no,
        order_line_no=entry.order_line_no,
        consumption_entries=list(entry.consumption_entries),
        resources=[AssemblyResourceUsage(resource_no=r.resource_no, order_line_no=r.order_line_no, quantity=r.quantity,
                                         direct_unit_cost=r.direct_unit_cost, unit_cost=r.unit_cost)
                   for r in entry.resources],
        output_quantities=list(entry.output_quantities),
        output_index=entry.output_index,
    )
    return new_envelope(ITEM_ENTRY_POSTED_V1, payload, producer="warehouse", key=entry.item_no)


def item_from_event(card: ItemUpserted) -> Item:
    return Item(
        item_no=card.item_no,
        revision=card.revision,
        description=card.description,
        type=card.type,
        base_unit_of_measure=card.base_unit_of_measure,
        costing_method=card.costing_method,
        inventory_posting_group=card.inventory_posting_group,
        gen_prod_posting_group=card.gen_prod_posting_group,
        prevent_negative_inventory=card.prevent_negative_inventory,
        blocked=card.blocked,
        sales_blocked=card.sales_blocked,
        purchasing_blocked=card.purchasing_blocked,
        units_of_measure=tuple(ItemUnit(u.code, u.qty_per_unit_of_measure) for u in card.item_units_of_measure),
        variants=tuple(Variant(v.code, v.description, v.blocked) for v in card.variants),
        tracking=TrackingRules(
            code=card.item_tracking.code,
            serial_specific=card.item_tracking.serial_specific,
            lot_specific=card.item_tracking.lot_specific,
            serial_required_for=frozenset(str(m) for m in card.item_tracking.serial_required_for),
            lot_required_for=frozenset(str(m) for m in card.item_tracking.lot_required_for),
            use_expiration_dates=card.item_tracking.use_expiration_dates,
            strict_expiration=card.item_tracking.strict_expiration,
        ) if card.item_tracking is not None and card.item_tracking_code else None,
        assembly_policy=card.assembly_policy,
        reserve=card.reserve,
        assembly_bom=tuple(
            BomComponent(c.line_no, c.type, c.no, c.quantity_per, c.description, c.unit_of_measure_code,
                         c.resource_usage_type)
            for c in card.assembly_bom
        ),
    )


SETUP_KEY = "inventory-setup"


def inventory_setup_changed(setup: InventorySetup, revision: int, closed_through: date | None) -> Envelope[InventorySetupChanged]:
    payload = InventorySetupChanged(
        revision=revision,
        allow_posting_from=setup.dates.allow_posting_from,
        allow_posting_to=setup.dates.allow_posting_to,
        closed_through=closed_through,
        average_cost_period=setup.average_cost_period,
        average_cost_calc_type=setup.average_cost_calc_type,
    )
    return new_envelope(INVENTORY_SETUP_CHANGED_V1, payload, producer="warehouse", key=SETUP_KEY)
