"""Routes of assembly BOMs: the BOM of an item, its tree, where an item is used, a kit's explosion, the cost roll-up."""

from dataclasses import asdict
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import AssemblyBomLine, Item
from catalog.entrypoints.routes.common import ERRORS, IdempotencyKey, IfMatch
from catalog.entrypoints.schemas_assembly import (
    AssemblyBomIn,
    AssemblyBomLineOut,
    AssemblyBomOut,
    BomTreeLineOut,
    BomTreeOut,
    CalculateStandardCostIn,
    ExplodedBomOut,
    ExplodedLineOut,
    RollUpLevels,
    StandardCostOut,
    WhereUsedEntryOut,
    WhereUsedOut,
)
from catalog.service_layer import assembly, items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["assembly BOMs"])


def bom_response(item: Item) -> JSONResponse:
    body = AssemblyBomOut(item_no=item.item_no, revision=item.revision,
                          lines=[AssemblyBomLineOut.model_validate(asdict(b)) for b in item.assembly_bom])
    return JSONResponse(body.model_dump(mode="json"), headers={"ETag": item.etag})


@router.get("/items/{item_no}/assembly-bom", response_model=AssemblyBomOut, responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def get_assembly_bom(runtime: Runtime, item_no: str) -> JSONResponse:
    """The item's assembly BOM, with the card's ETag (send it back as If-Match to change the BOM)."""
    async with runtime.reading() as uow:
        return bom_response(await items.get_item(uow, item_no))


@router.put("/items/{item_no}/assembly-bom", response_model=AssemblyBomOut, responses=ERRORS,
            dependencies=[requires("catalog:write")])
async def replace_assembly_bom(runtime: Runtime, item_no: str, body: AssemblyBomIn, if_match: IfMatch = None) -> JSONResponse:
    """Replace the whole BOM (If-Match: the card's ETag). Components must exist (not the item itself, no cycle at any
    level), units must be the component's; the card's new revision goes out on catalog.items.v1."""
    revision = items.parse_if_match(if_match)
    lines = [AssemblyBomLine(**line.model_dump()) for line in body.lines]
    async with runtime.unit_of_work() as uow:
        updated = await assembly.replace_assembly_bom(uow, item_no, revision, lines)
    return bom_response(updated)


@router.get("/items/{item_no}/bom-tree", response_model=BomTreeOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_bom_tree(runtime: Runtime, item_no: str) -> BomTreeOut:
    """The BOM at every level, depth first, with quantities per parent and per top item and low-level codes."""
    async with runtime.reading() as uow:
        tree = await assembly.bom_tree(uow, item_no)
    return BomTreeOut(
        item_no=tree.item.item_no, description=tree.item.description, low_level_code=tree.low_level_code,
        lines=[BomTreeLineOut(level=t.level, parent_item_no=t.parent_item_no, quantity_per_top_item=t.quantity_per_top_item,
                              low_level_code=t.low_level_code, has_assembly_bom=t.has_assembly_bom,
                              **{k: v for k, v in asdict(t.line).items()}) for t in tree.lines],
    )


@router.get("/items/{item_no}/where-used", response_model=WhereUsedOut, responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def get_where_used(runtime: Runtime, item_no: str) -> WhereUsedOut:
    """Every item whose BOM uses this one, directly or through sub-assemblies, with the quantity needed per unit."""
    async with runtime.reading() as uow:
        entries = await assembly.where_used(uow, item_no)
    return WhereUsedOut(item_no=item_no, entries=[WhereUsedEntryOut.model_validate(asdict(e)) for e in entries])


@router.get("/items/{item_no}/assembly-bom/explode", response_model=ExplodedBomOut, responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def explode_assembly_bom(
    runtime: Runtime, item_no: str,
    quantity: Annotated[Decimal, Query(gt=0, le=Decimal("99999999.99999"), max_digits=13, decimal_places=5)] = Decimal(1),
    unit_of_measure_code: Annotated[str, Query(max_length=10, description="Blank: the item's base unit.")] = "",
) -> ExplodedBomOut:
    """Explode BOM: the component item lines that replace `quantity` of the kit on a sales line (one level; text
    and resource lines are dropped)."""
    async with runtime.reading() as uow:
        lines = await assembly.explode(uow, item_no, quantity, unit_of_measure_code)
        unit = unit_of_measure_code or (await items.get_item(uow, item_no)).base_unit_of_measure
    return ExplodedBomOut(item_no=item_no, quantity=quantity, unit_of_measure_code=unit,
                          lines=[ExplodedLineOut.model_validate(asdict(line)) for line in lines])


@router.post("/items/{item_no}/calculate-standard-cost", response_model=StandardCostOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def calculate_standard_cost(runtime: Runtime, item_no: str, body: CalculateStandardCostIn, request: Request,
                                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Calc. Standard Cost: the item's single-level material, capacity, capacity overhead and manufacturing overhead
    costs from its BOM, and their sum as its standard cost (`levels: all` calculates sub-assemblies first)."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, StandardCostOut]:
        result = await assembly.calculate_standard_cost(uow, item_no, all_levels=body.levels == RollUpLevels.ALL)
        item = result.item
        return 200, StandardCostOut(
            item_no=item.item_no, revision=item.revision, standard_cost=item.standard_cost,
            single_level_material_cost=item.single_level_material_cost,
            single_level_capacity_cost=item.single_level_capacity_cost,
            single_level_cap_ovhd_cost=item.single_level_cap_ovhd_cost,
            single_level_mfg_ovhd_cost=item.single_level_mfg_ovhd_cost, updated_items=result.updated,
        )

    return await runtime.post_once(request, idempotency_key, body, action)
