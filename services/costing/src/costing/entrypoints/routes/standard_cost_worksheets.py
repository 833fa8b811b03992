"""The standard cost worksheet: its lines, suggesting and editing them, and implementing them."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from costing.domain.standard_cost import RoundingMethodLine
from costing.entrypoints.routes.common import ERRORS, IdempotencyKey, ItemNo, WorksheetName, entries_out, line_out
from costing.entrypoints.schemas import (
    ImplementStandardCostIn,
    StandardCostsImplementedOut,
    StandardCostWorksheetOut,
    SuggestStandardCostIn,
    WorksheetLineIn,
    WorksheetLineOut,
)
from costing.service_layer.standard_costs import (
    ImplementStandardCostChanges,
    SuggestItemStandardCost,
    delete_worksheet_line,
    set_worksheet_line,
    suggest_item_standard_cost,
)
from costing.service_layer.requests import post_standard_cost_changes
from costing.service_layer.unit_of_work import CostingUnitOfWork

router = APIRouter(tags=["values"])


@router.get("/standard-cost-worksheets/{worksheet_name}/lines", response_model=StandardCostWorksheetOut,
            tags=["standard cost worksheet"], dependencies=[requires("costing:read")])
async def worksheet_lines(runtime: Runtime, worksheet_name: WorksheetName) -> StandardCostWorksheetOut:
    """The worksheet's lines by item no.: current and new standard cost, and whether each is implemented."""
    async with runtime.reading() as uow:
        lines = await uow.worksheets.lines(worksheet_name)
    return StandardCostWorksheetOut(worksheet_name=worksheet_name, lines=[line_out(line) for line in lines])


@router.post("/standard-cost-worksheets/{worksheet_name}/suggest", response_model=StandardCostWorksheetOut,
             responses=ERRORS, tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
async def suggest(runtime: Runtime, worksheet_name: WorksheetName, body: SuggestStandardCostIn, request: Request,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Suggest Item Standard Cost: write a line per Standard item (or per item named) with its standard cost times
    the adjustment factor, rounded by the rounding method. Nothing is revalued until the worksheet is implemented."""
    command = SuggestItemStandardCost(
        worksheet_name, body.adjustment_factor,
        tuple(RoundingMethodLine(**line.model_dump()) for line in body.rounding_method),
        None if body.item_nos is None else tuple(body.item_nos),
    )

    async def action(uow: CostingUnitOfWork) -> tuple[int, StandardCostWorksheetOut]:
        lines = await suggest_item_standard_cost(uow, command)
        return 200, StandardCostWorksheetOut(worksheet_name=worksheet_name, lines=[line_out(line) for line in lines])

    return await runtime.post_once(request, idempotency_key, body, action)


@router.put("/standard-cost-worksheets/{worksheet_name}/lines/{item_no}", response_model=WorksheetLineOut,
            responses=ERRORS, tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
async def put_worksheet_line(runtime: Runtime, worksheet_name: WorksheetName, item_no: ItemNo, body: WorksheetLineIn) -> WorksheetLineOut:
    """Write the item's line with a new standard cost (a Standard item's); an implemented line becomes a new proposal."""
    async with runtime.unit_of_work() as uow:
        line = await set_worksheet_line(uow, worksheet_name, item_no, body.new_standard_cost)
    return line_out(line)


@router.delete("/standard-cost-worksheets/{worksheet_name}/lines/{item_no}", status_code=204, responses=ERRORS,
               tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
async def delete_line(runtime: Runtime, worksheet_name: WorksheetName, item_no: ItemNo) -> Response:
    async with runtime.unit_of_work() as uow:
        await delete_worksheet_line(uow, worksheet_name, item_no)
    return Response(status_code=204)


@router.post("/standard-cost-worksheets/{worksheet_name}/implement", status_code=201,
             response_model=StandardCostsImplementedOut,
             responses={200: {"model": StandardCostsImplementedOut, "description": "Every line was implemented before: "
                              "nothing was revalued."}, **ERRORS},
             tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
async def implement(runtime: Runtime, worksheet_name: WorksheetName, body: ImplementStandardCostIn, request: Request,
                    idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Implement Standard Cost Changes: for each line not implemented yet, revalue the item's quantity on hand at the
    posting date to the new standard cost (received but uninvoiced quantity as expected cost) and make it the item's
    standard cost, in costing at once and on the item card through costing.standard-cost-implemented."""
    command = ImplementStandardCostChanges(worksheet_name, body.posting_date)

    async def action(uow: CostingUnitOfWork) -> tuple[int, StandardCostsImplementedOut]:
        done, stored = await post_standard_cost_changes(uow, command)
        return 201 if done.lines else 200, StandardCostsImplementedOut(
            worksheet_name=worksheet_name, posting_date=body.posting_date,
            lines=[line_out(line) for line in done.lines], entries=entries_out(stored).entries,
        )

    return await runtime.post_once(request, idempotency_key, body, action)

