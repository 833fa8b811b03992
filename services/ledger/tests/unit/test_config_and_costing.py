"""The ledger's own settings and its reading of costing's valuation (over a mock transport: no I/O)."""

from decimal import Decimal

import httpx
import pytest

from ledger.adapters.costing import HttpInventoryValuation
from ledger.config import LedgerSettings
from ledger.domain.errors import CostingUnavailableError
from ledger.domain.reconciliation import GroupValue


def test_settings_keep_their_environment_names_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LEDGER_COSTING_URL", "LEDGER_COSTING_TOKEN", "LEDGER_COSTING_TOKEN_FILE", "LEDGER_RECONCILE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    defaults = LedgerSettings.from_environment()
    assert (defaults.costing_url, defaults.costing_token, defaults.costing_token_file, defaults.reconcile_seconds) == (
        "http://127.0.0.1:8003", None, None, 5
    )
    assert (defaults.service, defaults.http_port) == ("ledger", 8004)

    monkeypatch.setenv("LEDGER_COSTING_URL", "http://costing:9000")
    monkeypatch.setenv("LEDGER_COSTING_TOKEN", "secret")
    monkeypatch.setenv("LEDGER_COSTING_TOKEN_FILE", "/run/token")
    monkeypatch.setenv("LEDGER_RECONCILE_SECONDS", "0.5")
    given = LedgerSettings.from_environment()
    assert (given.costing_url, given.costing_token, given.costing_token_file, given.reconcile_seconds) == (
        "http://costing:9000", "secret", "/run/token", 0.5
    )
    assert (given.costing_auth().token, given.costing_auth().token_file) == ("secret", "/run/token")


async def test_costing_valuation_is_read_per_posting_group() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url == "http://costing/inventory-valuation/by-posting-group"
        return httpx.Response(200, json={"value_entries": 7, "lines": [
            {"location_code": "MAIN", "inventory_posting_group": "RESALE", "cost_amount_actual": "100.50",
             "cost_amount_expected": "-3.00"},
        ]})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        found = await HttpInventoryValuation(client, "http://costing").by_posting_group()

    assert found == (7, [GroupValue("MAIN", "RESALE", Decimal("100.50"), Decimal("-3.00"))])


async def test_costing_answering_an_error_is_costing_unavailable() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(503))) as client:
        with pytest.raises(CostingUnavailableError, match="costing valuation not readable at http://costing"):
            await HttpInventoryValuation(client, "http://costing").by_posting_group()
