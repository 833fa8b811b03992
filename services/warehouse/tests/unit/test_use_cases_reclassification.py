"""The reclassification journal against the in-memory unit of work."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.errors import InsufficientInventoryError, UnknownItemError, UnknownLocationError
from warehouse.domain.locations import Location
from warehouse.domain.model import JournalLine
from warehouse.domain.reclassification import ReclassLine, new_place
from warehouse.service_layer.item_ledger import quantity_on_hand
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.reclassification import post_reclassification

D = Decimal
DAY = date(2026, 8, 3)
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]


def _move(quantity: str, item_no: str = "1000", to: str = "B") -> ReclassLine:
    return ReclassLine(item_no, "", "A", "", to, "", D(quantity), DAY, "RJ1", 10000)


async def test_a_move_posts_a_transfer_pair_that_keeps_the_cost(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow(locations=(Location("A", "A"), Location("B", "B")))
    await post_item_journal(uow, [new_line(ItemLedgerEntryType.PURCHASE, "5", unit_cost="2", location_code="A")])
    out, into = await post_reclassification(uow, [_move("2")])
    assert (out.location_code, out.quantity, into.location_code, into.quantity) == ("A", D(-2), "B", D(2))
    assert into.applies_from_entry == out.entry_no and out.entry_type is ItemLedgerEntryType.TRANSFER
    assert {s.location_code: s.quantity for s in await quantity_on_hand(uow, "1000")} == {"A": D(3), "B": D(2)}
    assert len(uow.events) == 3


async def test_refusals(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow(locations=(Location("A", "A"), Location("B", "B")))
    await post_item_journal(uow, [new_line(ItemLedgerEntryType.PURCHASE, "1", unit_cost="2", location_code="A")])
    with pytest.raises(InsufficientInventoryError):
        await post_reclassification(uow, [_move("2")])
    with pytest.raises(UnknownItemError):
        await post_reclassification(uow, [_move("1", item_no="NOPE")])
    with pytest.raises(UnknownLocationError):
        await post_reclassification(uow, [_move("1", to="WEST")])
    assert len(uow.ledger.rows) == 1


def test_the_new_place_defaults_to_the_old_one() -> None:
    assert new_place("A", "BIN1", None, None) == ("A", "BIN1")
    assert new_place("A", "BIN1", "B", None) == ("B", "")
    assert new_place("A", "BIN1", "A", "BIN2") == ("A", "BIN2")
