"""A lost costing database is rebuilt from the log: the same value entries, inventory valuation, unit costs and
reconciliation as before, nothing published again (the ledger posts nothing twice), and costing goes on valuing."""

import asyncio
import json
from decimal import Decimal
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from costing.rebuild import Rebuilt, Step, StepKind, _ordered, _replay
from costing_helpers import create_item, implement_standard_cost, invoice, line, posted, received
from devstack.stack import Stack
from inventory_contracts import (
    ITEM_ENTRY_POSTED_V1,
    ITEM_UPSERTED_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    Envelope,
    EventRegistry,
    EventSpec,
    examples,
)
from inventory_contracts.topics import COSTING_ITEM_COSTS, COSTING_STANDARD_COSTS, COSTING_VALUE_ENTRIES, LEDGER_GL_ENTRIES
from servicekit.admin import initialise_databases
from servicekit.db import create_pool
from support import System, drop_database, run_rebuild, separate_system, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal
PUBLISHED = (COSTING_VALUE_ENTRIES, COSTING_ITEM_COSTS, COSTING_STANDARD_COSTS, LEDGER_GL_ENTRIES)


def ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def history(system: System) -> dict[str, str]:
    """FIFO, Average and Standard items bought (received, then invoiced at another cost), sold, transferred and
    assembled; an item charge, revaluations to a unit cost and to a value, and a standard cost implemented."""
    fifo = create_item(system)
    average = create_item(system, costing_method="Average")
    standard = create_item(system, costing_method="Standard", standard_cost="10.00")
    parent = create_item(system)

    fifo_receipt = received(system, fifo, "10", "5.00", "2026-01-05")
    fifo_purchase, *_ = posted(system, line(fifo, "Purchase", "5", "6.00", "2026-01-05"),
                               line(average, "Purchase", "10", "4.00", "2026-01-05"),
                               line(average, "Purchase", "10", "6.00", "2026-01-05"))
    standard_receipt = received(system, standard, "4", "9.00", "2026-01-05")
    posted(system, line(average, "Sale", "5", day="2026-01-06"), line(fifo, "Sale", "12", day="2026-01-10"))
    system.wait_quiet()
    invoice(system, fifo_receipt["entry_no"], "10", "5.50", "2026-01-08")
    invoice(system, standard_receipt["entry_no"], "4", "9.50", "2026-01-08")

    card = system.http.get(system.url("catalog", f"/items/{parent}/assembly-bom"))
    ok(system.http.put(system.url("catalog", f"/items/{parent}/assembly-bom"), headers={"If-Match": card.headers["ETag"]},
                       json={"lines": [{"line_no": 10000, "type": "Item", "no": average, "quantity_per": "2"}]}))
    wait_until(lambda: system.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND assembly_bom::text <> '[]'", parent),
               what="the BOM in the warehouse's replica")
    order = ok(system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": "2", "location_code": "MAIN", "due_date": "2026-01-07"}))
    ok(system.http.post(system.url("warehouse", f"/assembly-orders/{order['no']}/post"),
                        json={"quantity_to_assemble": "2", "posting_date": "2026-01-07"}))
    posted(system, line(parent, "Sale", "1", day="2026-01-09"))

    transfer = ok(system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST", "in_transit_code": "IN-TRANSIT",
        "lines": [{"item_no": fifo, "quantity": "2"}]}))
    line_no = transfer["lines"][0]["line_no"]
    ok(system.http.post(system.url("warehouse", f"/transfer-orders/{transfer['no']}/ship"), json={
        "shipment_no": unique("TS"), "posting_date": "2026-01-11", "lines": [{"line_no": line_no, "quantity": "2"}]}))
    ok(system.http.post(system.url("warehouse", f"/transfer-orders/{transfer['no']}/receive"), json={
        "receipt_no": unique("TR"), "posting_date": "2026-01-12", "lines": [{"line_no": line_no, "quantity": "2"}]}))
    system.wait_quiet()

    ok(system.http.post(system.url("costing", "/item-charges"), json={
        "item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": "2026-01-13", "amount": "3.00",
        "split": "By Amount", "lines": [{"item_ledger_entry_no": no} for no in (
            standard_receipt["entry_no"], fifo_receipt["entry_no"], fifo_purchase["entry_no"])]}))
    ok(system.http.post(system.url("costing", "/revaluations"),
                        json={"item_no": average, "posting_date": "2026-01-14", "new_unit_cost": "5.50"}))
    ok(system.http.post(system.url("costing", "/revaluations"),
                        json={"item_no": fifo, "posting_date": "2026-01-14", "new_value": "20.00"}))
    implement_standard_cost(system, standard, "12.00", "2026-01-15")
    posted(system, line(standard, "Sale", "1", day="2026-01-16"), line(average, "Sale", "2", day="2026-01-16"))
    system.wait_quiet()
    return {"fifo": fifo, "average": average, "standard": standard, "parent": parent}


def snapshot(system: System, items: dict[str, str]) -> dict[str, Any]:
    """What costing answers and what the ledger holds, but when things were written."""
    def cost(item_no: str) -> dict[str, Any]:
        found = ok(system.http.get(system.url("costing", f"/items/{item_no}/cost")))
        return found | {"adjustment": {k: v for k, v in found["adjustment"].items() if not k.endswith("_at")}}

    reconciliation = ok(system.http.get(system.url("ledger", "/reconciliation")))
    return {
        "value_entries": sorted(system.value_entries(), key=lambda v: v["entry_no"]),
        "valuation": system.valuation(),
        "valuation_without_expected": system.valuation(include_expected=False),
        "valuation_at": system.valuation(at="2026-01-10"),
        "by_posting_group": ok(system.http.get(system.url("costing", "/inventory-valuation/by-posting-group"))),
        "unit_costs": {name: cost(item_no) for name, item_no in items.items()},
        "reconciliation": reconciliation["lines"],
        "gl_entries": sorted(system.gl_entries(), key=lambda e: e["entry_no"]),
    }


def published(system: System) -> dict[str, int]:
    return {topic: len(system.records(topic)) for topic in PUBLISHED}


def test_a_lost_costing_database_is_rebuilt_from_the_log_and_goes_on_valuing(stack: Stack) -> None:
    with separate_system(stack, "rbc") as system:
        items = history(system)
        system.assert_books_balance_and_reconcile()
        before = snapshot(system, items)
        kinds = {(v["entry_type"], v["item_charge_no"], v["adjustment"]) for v in before["value_entries"]}
        assert {("Revaluation", None, False), ("Direct Cost", "FREIGHT", False), ("Variance", None, False)} <= kinds
        assert {v["item_ledger_entry_type"] for v in before["value_entries"]} >= {
            "Purchase", "Sale", "Transfer", "Assembly Consumption", "Assembly Output"}
        on_the_log = published(system)

        system.stack.stop_service("costing")
        drop_database(system.stack, "costing")
        done = run_rebuild(system.stack, "costing")
        assert done.returncode == 0, done.stderr
        rebuilt = json.loads(done.stdout.strip().splitlines()[-1])
        assert rebuilt["value_entries"] == len(before["value_entries"])
        assert rebuilt["differences"] == 0 and rebuilt["unpublished_value_entries"] == 0
        assert rebuilt["requests"] == 4  # the charge, two revaluations, the implementation
        system.stack.start_service("costing")
        system.wait_quiet()

        after = snapshot(system, items)
        for part in before:
            assert after[part] == before[part], part
        assert published(system) == on_the_log
        system.assert_books_balance_and_reconcile()

        (sale,) = posted(system, line(items["fifo"], "Sale", "1", day="2026-01-20"))
        system.wait_quiet()
        new = [v for v in system.value_entries(items["fifo"]) if v["item_ledger_entry_no"] == sale["entry_no"]]
        assert len(new) == 1 and new[0]["entry_no"] > max(v["entry_no"] for v in before["value_entries"])
        assert D(new[0]["cost_amount_actual"]) < 0
        gl_new = [e for e in system.gl_entries() if e["value_entry_no"] == new[0]["entry_no"]]
        assert len(gl_new) == 2 and sum(D(e["amount"]) for e in gl_new) == 0
        system.assert_books_balance_and_reconcile()

        # A posting costing had not valued when its database was lost is valued by the rebuild and published once.
        system.stack.stop_service("costing")
        (late,) = posted(system, line(items["average"], "Sale", "1", day="2026-01-21"))
        drop_database(system.stack, "costing")
        done = run_rebuild(system.stack, "costing")
        assert done.returncode == 0, done.stderr
        rebuilt = json.loads(done.stdout.strip().splitlines()[-1])
        assert rebuilt["unpublished_value_entries"] >= 1 and rebuilt["differences"] == 0
        system.stack.start_service("costing")
        system.wait_quiet()
        (valued,) = [v for v in system.value_entries(items["average"]) if v["item_ledger_entry_no"] == late["entry_no"]]
        assert len([e for e in system.gl_entries() if e["value_entry_no"] == valued["entry_no"]]) == 2
        system.assert_books_balance_and_reconcile()

        # Value entries on the topic that no event or request of the log explains are reported, and the exit code says so.
        stranger = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))
        number = 10**9
        entries = [stranger.payload.value_entries[0].model_copy(update={"entry_no": number, "applies_to_entry": None})]
        stranger = stranger.model_copy(update={"event_id": uuid4(), "causation_id": None, "correlation_id": uuid4(),
                                               "payload": stranger.payload.model_copy(update={"value_entries": entries})})
        system.publish(COSTING_VALUE_ENTRIES, [(stranger.payload.item_no.encode(), stranger.model_dump_json().encode())])
        system.stack.stop_service("costing")
        drop_database(system.stack, "costing")
        done = run_rebuild(system.stack, "costing")
        assert done.returncode == 1, done.stderr
        assert f"DIFFERENCE: value entries {number} came from no event or request known here" in done.stderr
        assert "costing was rebuilt with 1 differences" in done.stderr


def test_the_rebuild_refuses_a_database_that_holds_anything(system: System) -> None:
    create_item(system)
    done = run_rebuild(system.stack, "costing")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "already holds" in done.stderr and "rebuild only into a new, empty one" in done.stderr


def event(spec: EventSpec, **payload: Any) -> Envelope[Any]:
    found = EventRegistry([spec]).parse(examples(spec))
    return found.model_copy(update={"event_id": uuid4(), "payload": found.payload.model_validate(found.payload.model_dump() | payload)})


def card_and_receipt(item_no: str, entry_no: int) -> list[Envelope[Any]]:
    """A Standard item (standard cost 10.00) and a receipt of 2 invoiced at 9.00."""
    return [event(ITEM_UPSERTED_V1, item_no=item_no, costing_method="Standard", standard_cost=D("10.00")),
            event(ITEM_ENTRY_POSTED_V1, item_no=item_no, entry_no=entry_no, entry_type="Purchase", quantity=D(2),
                  invoiced_quantity=D(2), unit_cost=D("9.00"), applications=[], document_no="RCPT-1", costing_method="Standard")]


def replayed(stack: Stack, steps: list[Step]) -> tuple[Rebuilt, list[Any], list[Envelope[Any]]]:
    """The steps replayed into a database of their own: what the rebuild made of them, the value entries and the value
    entry messages left in its outbox."""
    name = unique("rebuilt").lower()

    async def replay() -> tuple[Rebuilt, list[Any], list[Envelope[Any]]]:
        url = stack.database_server_url.rsplit("/", 1)[0] + f"/{name}"
        await initialise_databases(stack.database_server_url, {"costing": url})
        pool = await create_pool(url, max_size=2)
        try:
            done = await _replay(pool, steps)
            rows = await pool.fetch("SELECT * FROM value_entries ORDER BY entry_no")
            outbox = await pool.fetch("SELECT value FROM outbox WHERE topic = $1 ORDER BY id", COSTING_VALUE_ENTRIES)
        finally:
            await pool.close()
            admin = await asyncpg.connect(stack.database_server_url)
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await admin.close()
        return done, rows, [EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(row["value"]) for row in outbox]

    return asyncio.run(replay())


def test_a_step_whose_value_entries_reached_the_log_for_one_item_only_publishes_the_others_anew(stack: Stack) -> None:
    """A standard cost implementation of two items wrote value entries for both, published per item; only the first
    item's message reached the log before the database was lost. Replayed: the first's take their published numbers,
    the second's new ones, and only the second's are published, with those numbers."""
    first, second = unique("RBA"), unique("RBB")
    events = [*card_and_receipt(first, 1), *card_and_receipt(second, 2)]
    implemented = uuid4()
    implementations = [event(STANDARD_COST_IMPLEMENTED_V1, item_no=no, previous_standard_cost=D("10.00"), standard_cost=D("12.00"),
                             implementation_no=n, worksheet_name="DEFAULT").model_copy(update={"correlation_id": implemented})
                       for n, no in enumerate((first, second), 1)]

    def entries(rows: list[Any], *item_nos: str) -> list[tuple[Any, ...]]:
        return [(r["entry_no"], r["item_no"], r["entry_type"], r["cost_amount_actual"]) for r in rows if r["item_no"] in item_nos]

    # What the lost database did: every step valued, every message in its outbox.
    lost = [Step(e.occurred_at, StepKind.EVENT, event=e) for e in events]
    lost.append(Step(events[-1].occurred_at, StepKind.IMPLEMENTATION, correlation_id=implemented,
                     implementations=[m.payload for m in implementations]))
    _, before, messages = replayed(stack, lost)
    (unsent,) = [m for m in messages if m.causation_id is None and m.payload.item_no == second]
    assert [ve.entry_type for ve in unsent.payload.value_entries] == ["Revaluation"]
    on_the_log = [m for m in messages if m is not unsent]
    last_published = max(ve.entry_no for m in on_the_log for ve in m.payload.value_entries)

    differences: list[str] = []
    steps = _ordered([(None, e) for e in events], on_the_log, implementations, differences)
    done, after, published_now = replayed(stack, steps)

    assert differences == [] and done.differences == []
    assert done.unpublished_value_entries == len(unsent.payload.value_entries) == 1
    assert entries(after, first) == entries(before, first)
    assert [e for e in entries(after, second) if e[2] != "Revaluation"] == [e for e in entries(before, second) if e[2] != "Revaluation"]
    (revalued,) = [r for r in after if r["item_no"] == second and r["entry_type"] == "Revaluation"]
    assert revalued["entry_no"] == last_published + 1
    assert revalued["cost_amount_actual"] == unsent.payload.value_entries[0].cost_amount_actual == D("4.00")
    (message,) = published_now
    assert (message.payload.item_no, [ve.entry_no for ve in message.payload.value_entries]) == (second, [last_published + 1])


def test_a_request_costing_refuses_when_replayed_is_reported_and_the_steps_after_it_are_replayed(stack: Stack) -> None:
    """An item charge on a receipt costing has no entry of: nothing of it is written, and the rebuild goes on."""
    item_no = unique("RBC")
    card, receipt = card_and_receipt(item_no, 1)
    later = event(ITEM_ENTRY_POSTED_V1, **(receipt.payload.model_dump() | {"entry_no": 2}))
    share = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1)).payload.value_entries[0].model_copy(
        update={"entry_no": 1, "item_ledger_entry_no": 99, "entry_type": "Direct Cost", "item_charge_no": "FREIGHT",
                "cost_amount_actual": D("3.00"), "adjustment": False})
    charge = Step(receipt.occurred_at, StepKind.CHARGE, [(item_no, share)], correlation_id=uuid4())

    done, rows, published_now = replayed(stack, [Step(e.occurred_at, StepKind.EVENT, event=e) for e in (card, receipt)]
                                         + [charge, Step(later.occurred_at, StepKind.EVENT, event=later)])

    assert done.differences[0].startswith(f"the item charge of correlation id {charge.correlation_id} (value entries 1) "
                                          "was refused when replayed: ")
    assert done.differences[1:] == [f"value entry 1 of item {item_no} was not written again"]
    assert {r["item_ledger_entry_no"] for r in rows} == {1, 2} and not any(r["item_charge_no"] for r in rows)
    assert {m.payload.value_entries[0].item_ledger_entry_no for m in published_now} == {1, 2}
