"""Warehouse-to-costing quantity reconciliation, run continuously like the ledger's inventory-to-G/L one.

The warehouse says, per item, which of its entries were recorded long enough ago to have reached costing
(`settle_seconds`); both sides sum exactly those entries per location. A difference is published when it
appears or changes (difference 0 when it is resolved) and kept in the metrics.
"""

import logging
from datetime import UTC, datetime
from decimal import Decimal

from prometheus_client import Gauge

from inventory_contracts import QUANTITY_DIFFERENCE_FOUND_V1, new_envelope
from inventory_contracts.costing import QuantityDifferenceFound

from costing.domain.quantity_reconciliation import (
    QuantityComparison,
    WarehouseQuantity,
    changed_differences,
    compare_quantities,
    watermarks,
)
from costing.service_layer.unit_of_work import CostingUnitOfWork

log = logging.getLogger(__name__)

QUANTITY_DIFFERENCES = Gauge(
    "inventory_quantity_differences", "Item and location pairs whose quantity in costing differs from the warehouse's."
)
QUANTITY_DIFFERENCE_UNITS = Gauge(
    "inventory_quantity_difference_units", "Sum of the absolute quantity differences between costing and the warehouse."
)
QUANTITY_RECONCILED_AT = Gauge(
    "inventory_quantity_reconciled_timestamp_seconds", "When costing last compared its quantities with the warehouse's."
)


async def compare(uow: CostingUnitOfWork, warehouse: list[WarehouseQuantity]) -> list[QuantityComparison]:
    costing = await uow.reconciliation.quantities_through(watermarks(warehouse))
    return compare_quantities(warehouse, costing)


async def report(uow: CostingUnitOfWork, comparisons: list[QuantityComparison]) -> list[QuantityComparison]:
    """Publish each place whose difference changed since it was last reported; set the metrics."""
    differing = [c for c in comparisons if c.difference != 0]
    QUANTITY_DIFFERENCES.set(len(differing))
    QUANTITY_DIFFERENCE_UNITS.set(float(sum((abs(c.difference) for c in differing), Decimal(0))))
    QUANTITY_RECONCILED_AT.set(datetime.now(UTC).timestamp())
    repository = uow.reconciliation
    changed = changed_differences(comparisons, await repository.reported())
    checked_at = datetime.now(UTC)
    events = []
    for comparison in changed:
        await repository.record_reported(comparison)
        payload = QuantityDifferenceFound(
            item_no=comparison.item_no,
            location_code=comparison.location_code,
            warehouse_quantity=comparison.warehouse_quantity,
            costing_quantity=comparison.costing_quantity,
            difference=comparison.difference,
            through_entry_no=comparison.through_entry_no,
            checked_at=checked_at,
        )
        event = new_envelope(QUANTITY_DIFFERENCE_FOUND_V1, payload, producer="costing", key=comparison.item_no)
        events.append((QUANTITY_DIFFERENCE_FOUND_V1.topic, event))
        if comparison.difference:
            log.warning("item %s at %s: costing has %s, the warehouse %s", comparison.item_no, comparison.location_code,
                        comparison.costing_quantity, comparison.warehouse_quantity)
        else:
            log.info("item %s at %s: quantities agree again", comparison.item_no, comparison.location_code)
    await uow.publish_all(events)
    return changed
