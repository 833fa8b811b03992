"""The catalog's published card through HTTP: a card, no such item, or a catalog that cannot answer."""

import json
from decimal import Decimal
from importlib.resources import files

import httpx
import pytest

from warehouse.adapters.catalog import CatalogUnavailableError, HttpCatalog
from warehouse.domain.assembly import ResourceCost

CARD = json.loads(files("inventory_contracts").joinpath("examples/catalog.item-upserted.v1.json").read_text())["payload"]


async def published_card(handler: httpx.MockTransport, item_no: str = "1000") -> object:
    async with httpx.AsyncClient(transport=handler) as client:
        return await HttpCatalog(client, "http://catalog/").published_card(item_no)


async def test_the_card_as_the_catalog_gives_it() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.raw_path.decode())
        return httpx.Response(200, json=CARD)

    card = await published_card(httpx.MockTransport(answer), "A/B 1")
    assert asked == ["/items/A%2FB%201/published-card"]
    assert getattr(card, "item_no") == CARD["item_no"] and getattr(card, "revision") == CARD["revision"]


async def test_no_such_item_is_none() -> None:
    assert await published_card(httpx.MockTransport(lambda _: httpx.Response(404, json={}))) is None


@pytest.mark.parametrize("response", [httpx.Response(401, json={}), httpx.Response(500, text="boom"),
                                      httpx.Response(200, json={"item_no": "1000"})])
async def test_an_unusable_answer_is_the_catalog_unavailable(response: httpx.Response) -> None:
    with pytest.raises(CatalogUnavailableError):
        await published_card(httpx.MockTransport(lambda _: response))


async def test_an_unreachable_catalog_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(CatalogUnavailableError):
        await published_card(httpx.MockTransport(refuse))


async def resource(handler: httpx.MockTransport, no: str = "R1") -> object:
    async with httpx.AsyncClient(transport=handler) as client:
        return await HttpCatalog(client, "http://catalog/").resource(no)


async def test_a_resource_s_costs_as_the_catalog_gives_them() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.raw_path.decode())
        return httpx.Response(200, json={"no": "R 1", "direct_unit_cost": "20.00000", "unit_cost": "22.5"})

    assert await resource(httpx.MockTransport(answer), "R 1") == ResourceCost(Decimal("20"), Decimal("22.5"))
    assert asked == ["/resources/R%201"]


async def test_no_such_resource_is_none() -> None:
    assert await resource(httpx.MockTransport(lambda _: httpx.Response(404, json={}))) is None


@pytest.mark.parametrize("response", [httpx.Response(401, json={}), httpx.Response(200, json={"no": "R1"}),
                                      httpx.Response(200, json={"direct_unit_cost": "x", "unit_cost": "1"})])
async def test_an_unusable_resource_answer_is_the_catalog_unavailable(response: httpx.Response) -> None:
    with pytest.raises(CatalogUnavailableError):
        await resource(httpx.MockTransport(lambda _: response))
