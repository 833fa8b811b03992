"""Sales and purchase orders, registered by the systems that own them: create, read, list, change or delete a line
while it is outstanding."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import InvalidCursorError, decode_cursor, paginate

from warehouse.domain.ledger_state import Demand
from warehouse.domain.planning_orders import NewOrderLine, Order, OrderLine, OrderType
from warehouse.entrypoints.mapping import PROBLEM, line_no
from warehouse.entrypoints.schemas_planning import (
    PurchaseOrderIn,
    PurchaseOrderLineChange,
    PurchaseOrderLineIn,
    PurchaseOrderLineOut,
    PurchaseOrderOut,
    PurchaseOrderPage,
    SalesOrderIn,
    SalesOrderLineChange,
    SalesOrderLineIn,
    SalesOrderLineOut,
    SalesOrderOut,
    SalesOrderPage,
)
from warehouse.service_layer.planning_orders import create_order, delete_order_line, get_order, list_orders, set_order_line
from warehouse.service_layer.reservation_policies import reserved_for
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter(tags=["orders"])
OrderLineNo = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def order_out(uow: WarehouseUnitOfWork, order: Order) -> SalesOrderOut | PurchaseOrderOut:
    if order.type is OrderType.SALES:
        held = await reserved_for(uow, [Demand(str(order.type), order.no, l.line_no) for l in order.lines])
        return SalesOrderOut(no=order.no, sell_to_customer_no=order.party_no, order_date=order.order_date,
                             responsibility_center=order.responsibility_center,
                             lines=[SalesOrderLineOut(shipment_date=l.due_date, quantity_shipped=l.in_line_unit(
                                 l.quantity_posted_base), qty_shipped_base=l.quantity_posted_base,
                                 reserved_qty_base=held[Demand(str(order.type), order.no, l.line_no)], **_line(l))
                                    for l in order.lines])
    return PurchaseOrderOut(no=order.no, buy_from_vendor_no=order.party_no, order_date=order.order_date,
                            responsibility_center=order.responsibility_center,
                            lines=[PurchaseOrderLineOut(expected_receipt_date=l.due_date, quantity_received=l.in_line_unit(
                                l.quantity_posted_base), qty_received_base=l.quantity_posted_base, **_line(l))
                                   for l in order.lines])


def _line(l: OrderLine) -> dict[str, Any]:
    return dict(line_no=l.line_no, item_no=l.item_no, variant_code=l.variant_code, location_code=l.location_code,
                unit_of_measure_code=l.unit_of_measure_code, qty_per_unit_of_measure=l.qty_per_unit_of_measure,
                quantity=l.quantity, quantity_base=l.quantity_base, outstanding_quantity=l.in_line_unit(l.outstanding_base),
                outstanding_qty_base=l.outstanding_base)


def _new_line(number: int, body: BaseModel, order_type: OrderType) -> NewOrderLine:
    fields = body.model_dump()
    return NewOrderLine(line_no=number, item_no=fields["item_no"], quantity=fields["quantity"],
                        due_date=fields[order_type.due_date_name], variant_code=fields["variant_code"],
                        location_code=fields["location_code"], unit_of_measure_code=fields["unit_of_measure_code"])


@dataclass(frozen=True)
class OrderApi:
    """The operations of one order type: its path and the models of its bodies and answers."""

    order_type: OrderType
    path: str
    body_type: type[SalesOrderIn] | type[PurchaseOrderIn]
    change_type: type[SalesOrderLineChange] | type[PurchaseOrderLineChange]
    out_type: type[SalesOrderOut] | type[PurchaseOrderOut]
    page_type: type[SalesOrderPage] | type[PurchaseOrderPage]

    @property
    def kind(self) -> str:
        return self.order_type.value.lower()

    @property
    def party(self) -> str:
        return "sell_to_customer_no" if self.order_type is OrderType.SALES else "buy_from_vendor_no"


def _create(api: OrderApi) -> Callable[..., Awaitable[JSONResponse]]:
    async def create(body: api.body_type, request: Request, runtime: Runtime,  # type: ignore[name-defined]
                     idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        given = cast(SalesOrderIn | PurchaseOrderIn, body)
        lines = [_new_line(line_no(l.line_no, i), l, api.order_type) for i, l in enumerate(
            cast(list[SalesOrderLineIn | PurchaseOrderLineIn], given.lines))]

        async def action(uow: WarehouseUnitOfWork) -> tuple[int, BaseModel]:
            order = await create_order(uow, api.order_type, given.no, getattr(given, api.party), given.order_date,
                                       lines, given.responsibility_center)
            return 201, await order_out(uow, order)

        return await runtime.post_once(request, idempotency_key, body, action)

    create.__doc__ = f"Register an open {api.kind} with its lines; quantities in each line's unit."
    return create


def _read(api: OrderApi) -> Callable[..., Awaitable[BaseModel]]:
    async def read(no: str, runtime: Runtime) -> BaseModel:
        async with runtime.reading() as uow:
            return await order_out(uow, await get_order(uow, api.order_type, no))

    read.__doc__ = f"A {api.kind} with each line's quantity {api.order_type.posted_name} and outstanding."
    return read


def _listing(api: OrderApi) -> Callable[..., Awaitable[BaseModel]]:
    async def listing(runtime: Runtime, item_no: str | None = None, cursor: str | None = None,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                      responsibility_center: str | None = None) -> BaseModel:
        after = decode_cursor(cursor)
        if after is not None and not isinstance(after, str):
            raise InvalidCursorError("the cursor is not one this API returned")
        async with runtime.reading() as uow:
            found = await list_orders(uow, api.order_type, after, limit + 1, item_no, responsibility_center)
            page, next_cursor = paginate(found, limit, lambda order: order.no)
            orders = [await order_out(uow, o) for o in page]
        return api.page_type.model_validate({"orders": orders, "next_cursor": next_cursor})

    listing.__doc__ = f"The {api.kind}s in number order, optionally those with a line for `item_no`."
    return listing


def _set_line(api: OrderApi) -> Callable[..., Awaitable[BaseModel]]:
    async def set_line(no: str, line_no: OrderLineNo, body: api.change_type,  # type: ignore[name-defined]
                       runtime: Runtime) -> BaseModel:
        async with runtime.unit_of_work() as uow:
            new = _new_line(line_no, body, api.order_type)
            return await order_out(uow, await set_order_line(uow, api.order_type, no, new))

    posted = api.order_type.posted_name
    set_line.__doc__ = (f"Add a line, or change one while it is outstanding: once part of it is {posted} its item, "
                        f"variant, location and unit stay and its quantity may not fall below that part.")
    return set_line


def _delete_line(api: OrderApi) -> Callable[..., Awaitable[BaseModel]]:
    async def delete_line(no: str, line_no: OrderLineNo, runtime: Runtime) -> BaseModel:
        async with runtime.unit_of_work() as uow:
            return await order_out(uow, await delete_order_line(uow, api.order_type, no, line_no))

    delete_line.__doc__ = f"Delete a line nothing of which is {api.order_type.posted_name}."
    return delete_line


def _register(api: OrderApi) -> None:
    name, path, out_type, post, read = (api.path.strip("/"), api.path, api.out_type, [requires("inventory:post")],
                                        [requires("inventory:read")])
    router.post(path, status_code=201, response_model=out_type, responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
                dependencies=post, name=f"create_{name}")(_create(api))
    router.get(path, response_model=api.page_type, responses={403: PROBLEM, 400: PROBLEM},
               dependencies=read, name=f"list_{name}")(_listing(api))
    router.get(f"{path}/{{no}}", response_model=out_type, responses={403: PROBLEM, 404: PROBLEM},
               dependencies=read, name=f"get_{name}")(_read(api))
    router.put(f"{path}/{{no}}/lines/{{line_no}}", response_model=out_type,
               responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
               dependencies=post, name=f"set_{name}_line")(_set_line(api))
    router.delete(f"{path}/{{no}}/lines/{{line_no}}", response_model=out_type,
                  responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM}, dependencies=post,
                  name=f"delete_{name}_line")(_delete_line(api))


_register(OrderApi(OrderType.SALES, "/sales-orders", SalesOrderIn, SalesOrderLineChange, SalesOrderOut, SalesOrderPage))
_register(OrderApi(OrderType.PURCHASE, "/purchase-orders", PurchaseOrderIn, PurchaseOrderLineChange, PurchaseOrderOut,
                   PurchaseOrderPage))
