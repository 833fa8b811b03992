"""Maps item cards to catalog.items.v1 events: the only bridge between the domain and the contract."""

from typing import Any

from inventory_contracts import ITEM_UPSERTED_V1, Envelope, new_envelope
from inventory_contracts.catalog import AssemblyBomComponent, ItemTracking, ItemUnitOfMeasure, ItemUpserted, ItemVariant

from catalog.domain.model import Item, ItemTrackingCode


def item_upserted(
    item: Item, tracking: ItemTrackingCode | None, *, cause: Envelope[Any] | None = None
) -> Envelope[ItemUpserted]:
    """The card as catalog.items.v1 announces it; `cause` is the consumed event it follows from, if any."""
    payload = ItemUpserted(
        item_no=item.item_no,
        revision=item.revision,
        description=item.description,
        type=item.type,
        base_unit_of_measure=item.base_unit_of_measure,
        costing_method=item.costing_method,
        standard_cost=item.standard_cost,
        unit_price=item.unit_price,
        inventory_posting_group=item.inventory_posting_group,
        gen_prod_posting_group=item.gen_prod_posting_group,
        prevent_negative_inventory=item.prevent_negative_inventory,
        blocked=item.blocked or item.deleted,
        sales_blocked=item.sales_blocked,
        purchasing_blocked=item.purchasing_blocked,
        blocked_reason="deleted" if item.deleted else item.blocked_reason,
        sales_blocked_reason=item.sales_blocked_reason,
        purchasing_blocked_reason=item.purchasing_blocked_reason,
        item_units_of_measure=[
            ItemUnitOfMeasure(code=u.code, qty_per_unit_of_measure=u.qty_per_unit_of_measure) for u in item.units_of_measure
        ],
        variants=[ItemVariant(code=v.code, description=v.description, blocked=v.blocked) for v in item.variants],
        item_category_code=item.item_category_code,
        indirect_cost_pct=item.indirect_cost_pct,
        overhead_rate=item.overhead_rate,
        item_tracking_code=item.item_tracking_code,
        item_tracking=None if tracking is None else ItemTracking(
            code=tracking.code,
            serial_specific=tracking.serial_specific,
            lot_specific=tracking.lot_specific,
            serial_required_for=list(tracking.serial_required_for),
            lot_required_for=list(tracking.lot_required_for),
            use_expiration_dates=tracking.use_expiration_dates,
            strict_expiration=tracking.strict_expiration,
        ),
        created_from_nonstock_item=item.nonstock_entry_no is not None,
        standard_cost_implementation_no=item.standard_cost_implementation_no,
        deleted=item.deleted,
        assembly_policy=item.assembly_policy,
        reserve=item.reserve,
        assembly_bom=[
            AssemblyBomComponent(
                line_no=b.line_no, type=b.type, no=b.no, description=b.description, quantity_per=b.quantity_per,
                unit_of_measure_code=b.unit_of_measure_code, resource_usage_type=b.resource_usage_type,
            ) for b in item.assembly_bom
        ],
        single_level_material_cost=item.single_level_material_cost,
        single_level_capacity_cost=item.single_level_capacity_cost,
        single_level_cap_ovhd_cost=item.single_level_cap_ovhd_cost,
        single_level_mfg_ovhd_cost=item.single_level_mfg_ovhd_cost,
    )
    if cause is None:
        return new_envelope(ITEM_UPSERTED_V1, payload, producer="catalog", key=item.item_no)
    return new_envelope(ITEM_UPSERTED_V1, payload, producer="catalog", key=item.item_no,
                        correlation_id=cause.correlation_id, causation_id=cause.event_id)
