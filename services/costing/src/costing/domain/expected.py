"""Expected vs actual cost: how an invoice turns (part of) a receipt's or shipment's expected cost into actual cost.

A receipt or shipment posts expected cost. Each invoice of part of it reverses the matching share of the
expected cost still open and posts actual cost instead; the last invoice reverses whatever is left, so the
expected cost of a fully invoiced entry is exactly zero however the parts rounded.
"""

from decimal import Decimal

from costing.domain.errors import InvoiceQuantityError
from costing.domain.fifo import round_amount


def expected_to_reverse(expected_open: Decimal, uninvoiced: Decimal, quantity: Decimal, *, entry_no: int = 0) -> Decimal:
    """The expected cost an invoice of `quantity` reverses, of `expected_open` over the `uninvoiced` quantity.

    Quantities are positive (units, for a receipt or a shipment alike); amounts keep their sign.
    """
    if quantity <= 0 or quantity > uninvoiced:
        raise InvoiceQuantityError(f"entry {entry_no}: {quantity} cannot be invoiced, {uninvoiced} is left to invoice")
    if quantity == uninvoiced:
        return expected_open
    return round_amount(expected_open * quantity / uninvoiced)

