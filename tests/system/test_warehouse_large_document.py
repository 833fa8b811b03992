"""A document of 1,000 lines posts in one request and flows through to the G/L. Prints the timing; asserts none
(speed is measured by `python -m warehouse.bench_document` against a running stack)."""

from decimal import Decimal

import pytest

from support import System
from warehouse.bench_document import run

pytestmark = pytest.mark.system


def test_a_thousand_line_document_posts_in_one_request(system: System, capsys: pytest.CaptureFixture[str]) -> None:
    dead_letters_before = system.dead_letter_counts()
    timing = run(system.stack.url("warehouse"), system.stack.url("catalog"), lines=1000, items=50, token=system.token)
    with capsys.disabled():
        print("\n" + timing.report())
    # 20 lines per item: 20 purchases of 2 and 20 sales of 1 leave 20 of each item.
    assert {system.quantity_on_hand(item_no) for item_no in timing.item_nos} == {Decimal(20)}
    system.wait_quiet(timeout=120)
    assert len(system.value_entries(timing.item_nos[0])) == 40
    trial_balance = system.trial_balance()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])
    assert system.dead_letter_counts() == dead_letters_before
