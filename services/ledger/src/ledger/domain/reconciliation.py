"""Inventory-to-G/L reconciliation: per inventory account, costing's value next to the G/L balance."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ledger.domain.posting import InventoryPostingSetup

ZERO = Decimal(0)


@dataclass(frozen=True)
class GroupValue:
    """Costing's value of one location and inventory posting group."""

    location_code: str
    inventory_posting_group: str
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


@dataclass(frozen=True)
class ReconciliationLine:
    account_no: str
    interim: bool
    inventory_value: Decimal
    gl_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.gl_balance - self.inventory_value


def reconcile(
    values: Iterable[GroupValue],
    setups: Mapping[tuple[str, str], InventoryPostingSetup],
    balances: Mapping[str, Decimal],
) -> list[ReconciliationLine]:
    """One line per inventory and interim account of the setup: actual cost goes to the inventory
    account, expected cost to the interim one, as posting does."""
    value_of: dict[tuple[str, bool], Decimal] = {}
    for setup in setups.values():
        for account, interim in ((setup.inventory_account, False), (setup.inventory_account_interim, True)):
            if account:
                value_of.setdefault((account, interim), ZERO)
    for group in values:
        group_setup = setups.get((group.location_code, group.inventory_posting_group))
        if group_setup is None:
            continue
        for account, interim, amount in (
            (group_setup.inventory_account, False, group.cost_amount_actual),
            (group_setup.inventory_account_interim, True, group.cost_amount_expected),
        ):
            if account:
                value_of[(account, interim)] = value_of.get((account, interim), ZERO) + amount
    return [
        ReconciliationLine(account, interim, value, balances.get(account, ZERO))
        for (account, interim), value in sorted(value_of.items())
    ]
