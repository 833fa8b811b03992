"""G/L posting of assembly value entries: components out against Inventory Adjmt., the assembled item in against
Inventory Adjmt. (material), Direct Cost Applied (resources), Overhead Applied (overhead) and, for a Standard item, the
inventory posting setup's variance accounts by variance type."""

from decimal import Decimal

import pytest

from ledger.domain.errors import MissingAccountError, PostingRuleError
from ledger.domain.posting import (
    GeneralPostingSetup,
    GLLine,
    InventoryPostingSetup,
    ItemLedgerEntryType,
    ValueEntryType,
    ValueToPost,
    VarianceType,
    post_value,
)

D = Decimal
ILE, VE, V = ItemLedgerEntryType, ValueEntryType, VarianceType

INVENTORY = InventoryPostingSetup(
    inventory_account="2130", inventory_account_interim="2131", material_variance_account="7890",
    capacity_variance_account="7891", cap_overhead_variance_account="7893", mfg_overhead_variance_account="7894",
)
GENERAL = GeneralPostingSetup(
    cogs_account="7290", cogs_account_interim="7291", inventory_adjmt_account="7180", invt_accrual_account_interim="5510",
    direct_cost_applied_account="7190", overhead_applied_account="7191", purchase_variance_account="7192",
)


def post(value: ValueToPost, inventory: InventoryPostingSetup = INVENTORY) -> list[tuple[str, str, Decimal]]:
    lines: list[GLLine] = post_value(value, inventory, GENERAL)
    return [(line.role, line.account_no, line.amount) for line in lines]


@pytest.mark.parametrize(
    ("ile", "ve", "variance_type", "resource", "balancing", "account_no"),
    [
        (ILE.ASSEMBLY_CONSUMPTION, VE.DIRECT_COST, None, False, "inventory_adjmt", "7180"),
        (ILE.ASSEMBLY_OUTPUT, VE.DIRECT_COST, None, False, "inventory_adjmt", "7180"),
        (ILE.ASSEMBLY_OUTPUT, VE.DIRECT_COST, None, True, "direct_cost_applied", "7190"),
        (ILE.ASSEMBLY_OUTPUT, VE.INDIRECT_COST, None, True, "overhead_applied", "7191"),
        (ILE.ASSEMBLY_OUTPUT, VE.INDIRECT_COST, None, False, "overhead_applied", "7191"),
        (ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, V.MATERIAL, False, "material_variance", "7890"),
        (ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, V.CAPACITY, False, "capacity_variance", "7891"),
        (ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, V.CAPACITY_OVERHEAD, False, "cap_overhead_variance", "7893"),
        (ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, V.MANUFACTURING_OVERHEAD, False, "mfg_overhead_variance", "7894"),
        (ILE.ASSEMBLY_OUTPUT, VE.REVALUATION, None, False, "inventory_adjmt", "7180"),
        (ILE.ASSEMBLY_OUTPUT, VE.ROUNDING, None, False, "inventory_adjmt", "7180"),
    ],
)
def test_each_assembly_value_entry_debits_inventory_against_its_account(
    ile: ItemLedgerEntryType, ve: ValueEntryType, variance_type: VarianceType | None, resource: bool, balancing: str,
    account_no: str,
) -> None:
    lines = post(ValueToPost(ile, ve, D("12.50"), D(0), variance_type, resource))
    assert lines == [("inventory", "2130", D("12.50")), (balancing, account_no, D("-12.50"))]


def test_an_assembly_nets_to_zero_on_inventory_adjmt_and_adds_its_resources_and_overhead_to_inventory() -> None:
    entries = [
        ValueToPost(ILE.ASSEMBLY_CONSUMPTION, VE.DIRECT_COST, D("-20.00"), D(0)),
        ValueToPost(ILE.ASSEMBLY_CONSUMPTION, VE.DIRECT_COST, D("-15.00"), D(0)),
        ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.DIRECT_COST, D("35.00"), D(0)),
        ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.DIRECT_COST, D("30.00"), D(0), resource=True),
        ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.INDIRECT_COST, D("6.00"), D(0), resource=True),
        ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.INDIRECT_COST, D("8.10"), D(0)),
        ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, D("-9.10"), D(0), V.MATERIAL),
    ]
    balances: dict[str, Decimal] = {}
    for entry in entries:
        for role, _, amount in post(entry):
            balances[role] = balances.get(role, D(0)) + amount
    assert balances == {"inventory": D("35.00"), "inventory_adjmt": D("0.00"), "direct_cost_applied": D("-30.00"),
                        "overhead_applied": D("-14.10"), "material_variance": D("9.10")}


def test_a_variance_without_its_account_waits_for_the_setup() -> None:
    bare = InventoryPostingSetup(inventory_account="2130", inventory_account_interim="2131")
    with pytest.raises(MissingAccountError, match="capacity_variance"):
        post(ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.VARIANCE, D("1.00"), D(0), V.CAPACITY), bare)


def test_expected_cost_on_an_assembly_output_has_no_rule() -> None:
    with pytest.raises(PostingRuleError):
        post(ValueToPost(ILE.ASSEMBLY_OUTPUT, VE.DIRECT_COST, D(0), D("1.00")))
