"""The one definition of how large quantities, costs, amounts and numbers may be, for every service.

The columns hold quantities and unit costs as numeric(20, 5) (below 10^15) and amounts as
numeric(20, 2) (below 10^18). The limits are much tighter than the columns, because costing
multiplies what the warehouse accepts: a purchase of the largest quantity at the largest unit cost,
with the largest indirect cost % and overhead rate the catalog accepts, costs at most

    QUANTITY_MAX * (UNIT_COST_MAX * (1 + INDIRECT_COST_PCT_MAX / 100) + UNIT_COST_MAX)
    = 10^8 * (10^7 * 11 + 10^7) = 1.2 * 10^16 (ENTRY_AMOUNT_MAX)

which leaves room for the sums costing and the ledger keep (value on hand, average-cost periods,
account balances): about 80 such extreme entries of one item, or any number of ordinary ones. An
outbound entry without stock is valued at the item's unit cost, itself at most the largest cost per
unit above, so it stays within the same bound. Whatever the warehouse accepts, costing can therefore
store; what would not fit is refused at the edge with 422 instead of being dead-lettered downstream.

Integers have the ranges of the columns that store them: entry numbers and ids are bigint, line
numbers int.
"""

from decimal import Decimal
from typing import Annotated, Final

from pydantic import Field

QUANTITY_PLACES: Final = 5
UNIT_COST_PLACES: Final = 5
AMOUNT_PLACES: Final = 2
QUANTITY_QUANTUM: Final = Decimal(1).scaleb(-QUANTITY_PLACES)
"""The smallest step of a quantity (0.00001): what quantities are rounded to."""
UNIT_COST_QUANTUM: Final = Decimal(1).scaleb(-UNIT_COST_PLACES)
"""The smallest step of a unit cost (0.00001)."""
AMOUNT_QUANTUM: Final = Decimal(1).scaleb(-AMOUNT_PLACES)
"""The smallest step of an amount (0.01): what amounts are rounded to."""

QUANTITY_MAX: Final = Decimal("99999999.99999")
"""Largest quantity of one line or entry, in the base unit (below 10^8)."""
UNIT_COST_MAX: Final = Decimal("9999999.99999")
"""Largest unit cost, standard cost, unit price or overhead rate per base unit (below 10^7)."""
INDIRECT_COST_PCT_MAX: Final = Decimal("1000")
"""Largest indirect cost % of an item card."""
COST_PER_UNIT_MAX: Final = UNIT_COST_MAX * (1 + INDIRECT_COST_PCT_MAX / 100) + UNIT_COST_MAX
"""Largest cost per base unit costing can compute from the limits above."""
ENTRY_AMOUNT_MAX: Final = QUANTITY_MAX * COST_PER_UNIT_MAX
"""Largest cost amount of one entry costing can compute from the limits above (about 1.2 * 10^16)."""
AMOUNT_MAX: Final = Decimal("9999999999999999.99")
"""Largest amount a client may give (a sales amount, an item charge, a revaluation value; below 10^16)."""
STORED_AMOUNT_MAX: Final = Decimal("999999999999999999.99")
"""Largest amount an event may carry: what numeric(20, 2) holds."""

INT32_MAX: Final = 2**31 - 1
INT64_MAX: Final = 2**63 - 1
INT64_MIN: Final = -(2**63)

Quantity = Annotated[
    Decimal, Field(ge=-QUANTITY_MAX, le=QUANTITY_MAX, allow_inf_nan=False, description="A quantity, at most 99,999,999.99999.")
]
"""A quantity (signed where the entry's direction needs it). Request schemas add `decimal_places` and `gt=0`."""
UnitCost = Annotated[Decimal, Field(ge=-UNIT_COST_MAX, le=UNIT_COST_MAX, allow_inf_nan=False)]
"""A unit cost, standard cost, unit price or overhead rate per base unit (request schemas add `ge=0`)."""
IndirectCostPercent = Annotated[Decimal, Field(ge=0, le=INDIRECT_COST_PCT_MAX, allow_inf_nan=False)]
Amount = Annotated[Decimal, Field(ge=-AMOUNT_MAX, le=AMOUNT_MAX, allow_inf_nan=False)]
"""An amount a client gives: a sales amount, an item charge, a revaluation value."""
StoredAmount = Annotated[Decimal, Field(ge=-STORED_AMOUNT_MAX, le=STORED_AMOUNT_MAX, allow_inf_nan=False)]
"""An amount computed by a service (a value entry's cost, a G/L amount): what the amount columns hold."""

Int32 = Annotated[int, Field(ge=-(2**31), le=INT32_MAX)]
"""An integer stored as int (line numbers)."""
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
"""An integer stored as bigint (entry numbers, ids)."""
LineNo = Annotated[int, Field(ge=0, le=INT32_MAX)]
"""A document or source line no. (int columns)."""
EntryNo = Annotated[int, Field(ge=0, le=INT64_MAX)]
"""An entry no. or id (bigint columns)."""
