"""HTTP routes of the webhooks: requests become use-case calls, nothing more."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import InvalidCursorError, decode_cursor, paginate

from inventory_webhooks.entrypoints.schemas import (
    AttemptOut,
    DeliveryDetail,
    DeliveryOut,
    DeliveryPage,
    SubscriptionChange,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
)
from inventory_webhooks.service_layer import deliveries, subscriptions

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
router = APIRouter(tags=["webhooks"])
Limit = Annotated[int, Query(ge=1, le=1000)]


def _position(cursor: str | None, parse: Any) -> Any:
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return parse(position)
    except (TypeError, ValueError, IndexError) as exc:
        raise InvalidCursorError("the cursor is not one this API returned") from exc


@router.post("/subscriptions", status_code=201, response_model=SubscriptionCreated, responses={422: PROBLEM},
             dependencies=[requires("webhooks:admin")])
async def create_subscription(body: SubscriptionIn, runtime: Runtime) -> SubscriptionCreated:
    async with runtime.unit_of_work() as uow:
        created = await subscriptions.create_subscription(uow, body.model_dump(mode="json"))
    return SubscriptionCreated.of(created)


@router.get("/subscriptions", response_model=SubscriptionPage, responses={400: PROBLEM},
            dependencies=[requires("webhooks:read")])
async def list_subscriptions(runtime: Runtime, cursor: str | None = None, limit: Limit = 100) -> SubscriptionPage:
    after = _position(cursor, lambda position: UUID(position))
    async with runtime.reading() as uow:
        found = await uow.subscriptions.page(after, limit + 1)
    page, next_cursor = paginate(found, limit, lambda row: str(row["id"]))
    return SubscriptionPage(subscriptions=[SubscriptionOut.of(row) for row in page], next_cursor=next_cursor)


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses={404: PROBLEM},
            dependencies=[requires("webhooks:read")])
async def get_subscription(subscription_id: UUID, runtime: Runtime) -> SubscriptionOut:
    async with runtime.reading() as uow:
        return SubscriptionOut.of(await subscriptions.get_subscription(uow, subscription_id))


@router.patch("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses={404: PROBLEM, 422: PROBLEM},
              dependencies=[requires("webhooks:admin")])
async def change_subscription(subscription_id: UUID, body: SubscriptionChange, runtime: Runtime) -> SubscriptionOut:
    changes = body.model_dump(mode="json", exclude_unset=True)
    for required in ("url", "event_types", "enabled", "description"):
        if changes.get(required, "") is None:
            changes.pop(required)  # null for a field that cannot be empty leaves it as it is
    async with runtime.unit_of_work() as uow:
        return SubscriptionOut.of(await subscriptions.change_subscription(uow, subscription_id, changes))


@router.delete("/subscriptions/{subscription_id}", status_code=204, responses={404: PROBLEM},
               dependencies=[requires("webhooks:admin")])
async def delete_subscription(subscription_id: UUID, runtime: Runtime) -> Response:
    async with runtime.unit_of_work() as uow:
        await subscriptions.delete_subscription(uow, subscription_id)
    return Response(status_code=204)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveryPage, responses={400: PROBLEM, 404: PROBLEM},
            dependencies=[requires("webhooks:read")])
async def list_deliveries(subscription_id: UUID, runtime: Runtime, cursor: str | None = None, limit: Limit = 100) -> DeliveryPage:
    before = _position(cursor, lambda position: (datetime.fromisoformat(position[0]), str(position[1])))
    async with runtime.reading() as uow:
        await subscriptions.get_subscription(uow, subscription_id)
        found = await uow.deliveries.of_subscription(subscription_id, before, limit + 1)
    page, next_cursor = paginate(found, limit, lambda row: [row["created_at"].isoformat(), row["id"]])
    return DeliveryPage(deliveries=[DeliveryOut.of(row) for row in page], next_cursor=next_cursor)


@router.get("/deliveries/{delivery_id}", response_model=DeliveryDetail, responses={404: PROBLEM},
            dependencies=[requires("webhooks:read")])
async def get_delivery(delivery_id: str, runtime: Runtime) -> DeliveryDetail:
    async with runtime.reading() as uow:
        delivery, attempts = await deliveries.get_delivery(uow, delivery_id)
    return _detail(delivery, attempts)


@router.post("/deliveries/{delivery_id}/retry", status_code=202, response_model=DeliveryOut, responses={404: PROBLEM},
             dependencies=[requires("webhooks:admin")])
async def retry_delivery(delivery_id: str, runtime: Runtime) -> DeliveryOut:
    async with runtime.unit_of_work() as uow:
        return DeliveryOut.of(await deliveries.retry_delivery(uow, delivery_id))


def _detail(delivery: Any, attempts: list[Any]) -> DeliveryDetail:
    return DeliveryDetail(
        **DeliveryOut.of(delivery).model_dump(), body=delivery["body"],
        attempts=[AttemptOut.model_validate(dict(row)) for row in attempts],
    )
