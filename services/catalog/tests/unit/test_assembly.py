"""Assembly BOMs against the in-memory unit of work: validation (cycles at any level), the tree with low-level codes,
where-used, explosion of a kit and the standard cost roll-up, each with numbers worked out by hand."""

from decimal import Decimal
from typing import Any

import pytest

from inventory_contracts.catalog import (
    AssemblyPolicy,
    BomComponentType,
    CostingMethod,
    ItemType,
    ItemUpserted,
    ReservePolicy,
    ResourceUsageType,
)
from inventory_contracts.topics import CATALOG_ITEMS

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain import assembly as rules
from catalog.domain.errors import (
    AssemblyBomCycleError,
    InvalidAssemblyBomError,
    InvalidItemCardError,
    ItemUsedInAssemblyBomError,
    PreconditionFailedError,
)
from catalog.domain.model import AssemblyBomLine, Item, ItemUnitOfMeasure
from catalog.domain.resources import Resource, ResourceType
from catalog.service_layer import assembly, items

D = Decimal
ITEM, RESOURCE, TEXT = BomComponentType.ITEM, BomComponentType.RESOURCE, BomComponentType.TEXT


def card(item_no: str, **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": f"Item {item_no}", "type": ItemType.INVENTORY,
                   "base_unit_of_measure": "PCS", "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


def line(line_no: int, no: str, quantity: str = "1", type: BomComponentType = ITEM, unit: str = "",
         usage: ResourceUsageType = ResourceUsageType.DIRECT) -> AssemblyBomLine:
    return AssemblyBomLine(line_no, type, no, "", D(quantity), unit, usage)


async def add_resource(uow: InMemoryCatalogUnitOfWork, no: str, name: str, direct_unit_cost: str, unit_cost: str) -> None:
    """A resource costing `unit_cost` an hour, of which `direct_unit_cost` direct (the rest its indirect cost %)."""
    pct = (D(unit_cost) / D(direct_unit_cost) - 1) * 100
    await uow.resources.add(Resource(no, name, ResourceType.PERSON, "HOUR", D(direct_unit_cost), pct))


def announced(uow: InMemoryCatalogUnitOfWork) -> list[ItemUpserted]:
    assert all(topic == CATALOG_ITEMS for topic, _ in uow.published)
    return [event.payload for _, event in uow.published]


async def set_bom(uow: InMemoryCatalogUnitOfWork, item_no: str, *lines: AssemblyBomLine) -> Item:
    current = await items.get_item(uow, item_no)
    return await assembly.replace_assembly_bom(uow, item_no, current.revision, list(lines))


@pytest.fixture
async def bikes(uow: InMemoryCatalogUnitOfWork) -> InMemoryCatalogUnitOfWork:
    """BIKE = 1 FRAME + 2 WHEEL + 1 hour of assembly; WHEEL = 1 RIM + 36 SPOKE (a box holds 100)."""
    await items.create_item(uow, card("BIKE"))
    await items.create_item(uow, card("FRAME", costing_method=CostingMethod.STANDARD, standard_cost=D("40")))
    await items.create_item(uow, card("WHEEL"))
    await items.create_item(uow, card("RIM"))
    await items.create_item(uow, card("SPOKE", units_of_measure=(ItemUnitOfMeasure("BOX", D(100)),)))
    await add_resource(uow, "ASSEMBLER", "Assembler", "20", "22")
    await set_bom(uow, "WHEEL", line(10, "RIM"), line(20, "SPOKE", "36"))
    await set_bom(uow, "BIKE", line(10, "FRAME"), line(20, "WHEEL", "2"), line(30, "ASSEMBLER", "1", RESOURCE),
                  AssemblyBomLine(40, TEXT, description="Check the brakes"))
    uow.published.clear()
    return uow


class TestReplaceAssemblyBom:
    async def test_a_bom_is_a_new_revision_of_the_card_and_is_announced_with_it(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        before = await items.get_item(bikes, "WHEEL")
        after = await set_bom(bikes, "WHEEL", line(10, "RIM"), line(20, "SPOKE", "0.32", unit="BOX"))
        assert after.revision == before.revision + 1
        [event] = announced(bikes)
        assert event.revision == after.revision
        assert [(c.line_no, c.no, c.quantity_per, c.unit_of_measure_code, c.description) for c in event.assembly_bom] == [
            (10, "RIM", D(1), "PCS", "Item RIM"), (20, "SPOKE", D("0.32"), "BOX", "Item SPOKE")]

    async def test_blank_units_and_descriptions_are_the_components_own(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        bike = await items.get_item(bikes, "BIKE")
        assert [(b.no, b.unit_of_measure_code, b.description) for b in bike.assembly_bom] == [
            ("FRAME", "PCS", "Item FRAME"), ("WHEEL", "PCS", "Item WHEEL"), ("ASSEMBLER", "HOUR", "Assembler"),
            ("", "", "Check the brakes")]

    async def test_a_change_of_the_card_keeps_and_announces_its_bom(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        wheel = await items.get_item(bikes, "WHEEL")
        await items.update_item(bikes, "WHEEL", wheel.revision, {"description": "Front wheel",
                                                                  "assembly_policy": AssemblyPolicy.ASSEMBLE_TO_ORDER,
                                                                  "reserve": ReservePolicy.ALWAYS})
        [event] = announced(bikes)
        assert [c.no for c in event.assembly_bom] == ["RIM", "SPOKE"]
        assert (event.assembly_policy, event.reserve) == (AssemblyPolicy.ASSEMBLE_TO_ORDER, ReservePolicy.ALWAYS)

    async def test_an_empty_list_removes_the_bom(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        assert (await set_bom(bikes, "WHEEL")).assembly_bom == ()
        assert announced(bikes)[0].assembly_bom == []

    async def test_a_stale_revision_changes_nothing(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        wheel = await items.get_item(bikes, "WHEEL")
        with pytest.raises(PreconditionFailedError):
            await assembly.replace_assembly_bom(bikes, "WHEEL", wheel.revision - 1, [line(10, "RIM")])
        assert (await items.get_item(bikes, "WHEEL")).assembly_bom == wheel.assembly_bom
        assert announced(bikes) == []

    @pytest.mark.parametrize(("bad", "reason"), [
        (line(10, "NOPE"), "item NOPE does not exist"),
        (line(10, "WHEEL"), "cannot be a component of itself"),
        (line(10, "RIM", unit="BOX"), "item RIM has no unit of measure BOX"),
        (line(10, "RIM", "0"), "quantity per must be greater than 0"),
        (line(10, "", "1"), "needs a no."),
        (AssemblyBomLine(10, TEXT, "RIM"), "a text line has no no."),
        (line(10, "RIM", usage=ResourceUsageType.FIXED), "only resource lines"),
        (line(10, "NOBODY", type=RESOURCE), "resource NOBODY does not exist"),
        (line(10, "ASSEMBLER", type=RESOURCE, unit="DAY"), "its base unit HOUR"),
    ])
    async def test_a_bad_line_is_refused_with_its_reason(self, bikes: InMemoryCatalogUnitOfWork, bad: AssemblyBomLine,
                                                         reason: str) -> None:
        with pytest.raises(InvalidAssemblyBomError, match=reason):
            await set_bom(bikes, "WHEEL", bad)
        assert [b.no for b in (await items.get_item(bikes, "WHEEL")).assembly_bom] == ["RIM", "SPOKE"]

    async def test_a_line_no_twice_is_refused(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(InvalidAssemblyBomError, match="line 10 appears twice"):
            await set_bom(bikes, "WHEEL", line(10, "RIM"), line(10, "SPOKE"))

    async def test_a_component_that_uses_the_parent_two_levels_down_is_a_cycle(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        # BIKE -> WHEEL -> RIM; giving RIM the BIKE closes RIM -> BIKE -> WHEEL -> RIM.
        with pytest.raises(AssemblyBomCycleError, match="RIM -> BIKE -> WHEEL -> RIM"):
            await set_bom(bikes, "RIM", line(10, "BIKE"))
        assert (await items.get_item(bikes, "RIM")).assembly_bom == ()
        assert announced(bikes) == []

    async def test_a_direct_cycle_is_refused(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(AssemblyBomCycleError, match="WHEEL -> BIKE -> WHEEL"):
            await set_bom(bikes, "WHEEL", line(10, "BIKE"))

    async def test_the_same_component_in_two_branches_is_no_cycle(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        # SPOKE under BIKE directly and through WHEEL: a diamond, not a cycle.
        await set_bom(bikes, "BIKE", line(10, "WHEEL", "2"), line(20, "SPOKE", "4"))
        assert [b.no for b in (await items.get_item(bikes, "BIKE")).assembly_bom] == ["WHEEL", "SPOKE"]

    async def test_a_component_in_a_bom_cannot_be_deleted(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        rim = await items.get_item(bikes, "RIM")
        with pytest.raises(ItemUsedInAssemblyBomError, match="WHEEL"):
            await items.delete_item(bikes, "RIM", rim.revision)

    async def test_a_deleted_parent_no_longer_uses_its_components(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        bike = await items.get_item(bikes, "BIKE")
        await items.delete_item(bikes, "BIKE", bike.revision)
        assert announced(bikes)[-1].assembly_bom == []
        assert await assembly.where_used(bikes, "FRAME") == []


class TestFindCycle:
    def test_a_path_back_to_the_parent_at_any_depth_is_found(self) -> None:
        boms = {"B": [line(1, "C")], "C": [line(1, "D")], "D": [line(1, "A")]}
        assert rules.find_cycle("A", ["B"], boms) == ["A", "B", "C", "D", "A"]

    def test_no_path_back_is_no_cycle(self) -> None:
        boms = {"B": [line(1, "C"), line(2, "D")], "C": [line(1, "D")], "D": []}
        assert rules.find_cycle("A", ["B", "C"], boms) == []


class TestBomTree:
    async def test_every_level_depth_first_with_quantities_per_parent_and_per_top_item(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await set_bom(bikes, "WHEEL", line(10, "RIM"), line(20, "SPOKE", "0.36", unit="BOX"))
        tree = await assembly.bom_tree(bikes, "BIKE")
        assert tree.low_level_code == 0
        assert [(t.level, t.parent_item_no, t.line.no, t.line.quantity_per, t.quantity_per_top_item, t.low_level_code,
                 t.has_assembly_bom) for t in tree.lines] == [
            (1, "BIKE", "FRAME", D(1), D(1), 1, False),
            (1, "BIKE", "WHEEL", D(2), D(2), 1, True),
            (2, "WHEEL", "RIM", D(1), D(2), 2, False),
            # 0.36 BOX of 100 per wheel, 2 wheels: 72 spokes per bike.
            (2, "WHEEL", "SPOKE", D("0.36"), D(72), 2, False),
            (1, "BIKE", "ASSEMBLER", D(1), D(1), None, False),
            (1, "BIKE", "", D(0), D(0), None, False),
        ]

    async def test_the_low_level_code_is_the_deepest_use_in_any_bom(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        # WHEEL is also sold in a kit of two; RIM is also a direct component of a repair kit.
        await items.create_item(bikes, card("PAIR"))
        await items.create_item(bikes, card("REPAIR"))
        await set_bom(bikes, "PAIR", line(10, "WHEEL", "2"))
        await set_bom(bikes, "REPAIR", line(10, "RIM"))
        codes = {t.line.no: t.low_level_code for t in (await assembly.bom_tree(bikes, "REPAIR")).lines}
        assert codes == {"RIM": 2}
        assert (await assembly.bom_tree(bikes, "WHEEL")).low_level_code == 1


class TestWhereUsed:
    async def test_every_parent_at_every_level_with_the_quantity_needed(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(bikes, card("TANDEM"))
        await set_bom(bikes, "TANDEM", line(10, "WHEEL", "3"), line(20, "SPOKE", "2", unit="BOX"), line(30, "SPOKE", "4"))
        entries = await assembly.where_used(bikes, "SPOKE")
        assert [(e.level, e.item_no, e.quantity_needed) for e in entries] == [
            # TANDEM names SPOKE twice: 2 boxes (200) + 4.
            (1, "TANDEM", D(204)),
            (1, "WHEEL", D(36)),
            (2, "BIKE", D(72)),
            (2, "TANDEM", D(108)),
        ]

    async def test_an_item_no_bom_uses_has_no_entries(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        assert await assembly.where_used(bikes, "BIKE") == []


class TestExplode:
    async def test_a_sale_of_the_kit_becomes_its_component_items(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        bike = await items.get_item(bikes, "BIKE")
        await items.update_item(bikes, "BIKE", bike.revision, {"units_of_measure": (ItemUnitOfMeasure("PACK", D(3)),)})
        await set_bom(bikes, "WHEEL", line(10, "RIM"), line(20, "SPOKE", "0.36", unit="BOX"))
        exploded = await assembly.explode(bikes, "WHEEL", D(5), "")
        assert [(e.no, e.quantity, e.unit_of_measure_code, e.quantity_base) for e in exploded] == [
            ("RIM", D(5), "PCS", D(5)), ("SPOKE", D("1.8"), "BOX", D(180))]
        # 2 packs of 3 bikes: resource and text lines are dropped, one level only.
        exploded = await assembly.explode(bikes, "BIKE", D(2), "PACK")
        assert [(e.no, e.quantity, e.quantity_base) for e in exploded] == [("FRAME", D(6), D(6)), ("WHEEL", D(12), D(12))]

    async def test_an_item_without_a_bom_or_an_unknown_unit_is_refused(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(InvalidAssemblyBomError, match="no assembly BOM"):
            await assembly.explode(bikes, "RIM", D(1), "")
        with pytest.raises(InvalidAssemblyBomError, match="no unit of measure CASE"):
            await assembly.explode(bikes, "BIKE", D(1), "CASE")


class TestCostRollUp:
    async def test_single_level_and_rolled_up_costs_of_a_two_level_structure(self, uow: InMemoryCatalogUnitOfWork) -> None:
        # A two-level structure with a resource at 10.00 direct and 4.00 overhead per hour: C costs 1.00; B = 1 C +
        # 1 hour = material 1, capacity 10, capacity overhead 4 (15.00); A = 1 B + 1 hour = material 15 (B's new
        # cost), capacity 10, capacity overhead 4 (29.00). The single-level split, as Business Central reports it.
        await add_resource(uow, "R", "Work", "10", "14")
        for no in ("A", "B", "C"):
            await items.create_item(uow, card(no, costing_method=CostingMethod.STANDARD))
        c = await items.get_item(uow, "C")
        await items.update_item(uow, "C", c.revision, {"standard_cost": D(1)})
        await set_bom(uow, "B", line(10, "C"), line(20, "R", type=RESOURCE))
        await set_bom(uow, "A", line(10, "B"), line(20, "R", type=RESOURCE))
        uow.published.clear()
        result = await assembly.calculate_standard_cost(uow, "A", all_levels=True)
        assert result.updated == ["B", "A"]
        b = await items.get_item(uow, "B")
        assert (b.standard_cost, b.single_level_material_cost, b.single_level_capacity_cost,
                b.single_level_cap_ovhd_cost) == (D(15), D(1), D(10), D(4))
        assert (result.item.standard_cost, result.item.single_level_material_cost, result.item.single_level_capacity_cost,
                result.item.single_level_cap_ovhd_cost, result.item.single_level_mfg_ovhd_cost) == (D(29), D(15), D(10), D(4), D(0))
        assert [(e.item_no, e.standard_cost, e.single_level_material_cost) for e in announced(uow)] == [
            ("B", D(15), D(1)), ("A", D(29), D(15))]

    @pytest.fixture
    async def priced(self, bikes: InMemoryCatalogUnitOfWork) -> InMemoryCatalogUnitOfWork:
        """SPOKE costs 0.50 (FIFO, from costing), FRAME 40.00 (Standard), WHEEL 12.00 (FIFO, from costing).
        WHEEL: 10% indirect, 1.00 overhead; BIKE (Standard): lot of 4, 5% indirect, 0.50 overhead."""
        await bikes.assembly.set_unit_cost("SPOKE", D("0.5"), 1)
        await bikes.assembly.set_unit_cost("WHEEL", D("12"), 1)
        await add_resource(bikes, "PAINTER", "Painter", "30", "33")
        wheel = await items.get_item(bikes, "WHEEL")
        await items.update_item(bikes, "WHEEL", wheel.revision, {"indirect_cost_pct": D(10), "overhead_rate": D(1)})
        # WHEEL = 4 spokes + half an hour of assembly (20.00 direct, 22.00 cost).
        await set_bom(bikes, "WHEEL", line(10, "SPOKE", "4"), line(20, "ASSEMBLER", "0.5", RESOURCE))
        bike = await items.get_item(bikes, "BIKE")
        await items.update_item(bikes, "BIKE", bike.revision, {
            "costing_method": CostingMethod.STANDARD, "lot_size": D(4), "indirect_cost_pct": D(5), "overhead_rate": D("0.5")})
        # BIKE = 2 wheels + 1 frame + a box of 100 spokes per 10 bikes + 2 hours of painting per lot.
        await set_bom(bikes, "BIKE", line(10, "WHEEL", "2"), line(20, "FRAME"), line(30, "SPOKE", "0.1", unit="BOX"),
                      line(40, "PAINTER", "2", RESOURCE, usage=ResourceUsageType.FIXED),
                      AssemblyBomLine(50, TEXT, description="Check the brakes"))
        bikes.published.clear()
        return bikes

    async def test_all_levels_calculates_the_sub_assembly_first(self, priced: InMemoryCatalogUnitOfWork) -> None:
        result = await assembly.calculate_standard_cost(priced, "BIKE", all_levels=True)
        wheel = await items.get_item(priced, "WHEEL")
        # WHEEL: material 4 x 0.50 = 2.00; capacity 0.5 x 20 = 10.00; overhead 0.5 x 2 = 1.00;
        # manufacturing overhead 13.00 x 10% + 1.00 = 2.30; standard cost 15.30.
        assert (wheel.single_level_material_cost, wheel.single_level_capacity_cost, wheel.single_level_cap_ovhd_cost,
                wheel.single_level_mfg_ovhd_cost, wheel.standard_cost) == (D(2), D(10), D(1), D("2.3"), D("15.3"))
        # BIKE: material 2 x 15.30 + 40.00 + 10 spokes x 0.50 = 75.60; capacity 2 hours / lot of 4 x 30 = 15.00;
        # overhead 0.5 x 3 = 1.50; manufacturing overhead 92.10 x 5% + 0.50 = 5.105; standard cost 97.205.
        bike = result.item
        assert (bike.single_level_material_cost, bike.single_level_capacity_cost, bike.single_level_cap_ovhd_cost,
                bike.single_level_mfg_ovhd_cost, bike.standard_cost) == (D("75.6"), D(15), D("1.5"), D("5.105"), D("97.205"))
        assert result.updated == ["WHEEL", "BIKE"]
        assert [e.item_no for e in announced(priced)] == ["WHEEL", "BIKE"]

    async def test_top_level_takes_the_sub_assembly_at_its_cost_as_it_stands(self, priced: InMemoryCatalogUnitOfWork) -> None:
        result = await assembly.calculate_standard_cost(priced, "BIKE", all_levels=False)
        # WHEEL is FIFO: its unit cost 12.00 from costing. Material 24 + 40 + 5 = 69.00; manufacturing overhead
        # 85.50 x 5% + 0.50 = 4.775; standard cost 90.275.
        assert (result.item.single_level_material_cost, result.item.single_level_mfg_ovhd_cost,
                result.item.standard_cost) == (D(69), D("4.775"), D("90.275"))
        assert result.updated == ["BIKE"]
        assert (await items.get_item(priced, "WHEEL")).standard_cost == D(0)

    async def test_a_second_calculation_with_nothing_changed_writes_nothing(self, priced: InMemoryCatalogUnitOfWork) -> None:
        await assembly.calculate_standard_cost(priced, "BIKE", all_levels=True)
        priced.published.clear()
        again = await assembly.calculate_standard_cost(priced, "BIKE", all_levels=True)
        assert again.updated == [] and announced(priced) == []
        assert again.item.standard_cost == D("97.205")

    async def test_an_older_unit_cost_from_costing_does_not_overwrite_a_newer_one(self, priced: InMemoryCatalogUnitOfWork) -> None:
        await priced.assembly.set_unit_cost("SPOKE", D("0.6"), 3)
        await priced.assembly.set_unit_cost("SPOKE", D("0.4"), 2)
        assert (await items.get_item(priced, "SPOKE")).unit_cost == D("0.6")

    async def test_an_item_without_a_bom_has_nothing_to_calculate(self, priced: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(InvalidAssemblyBomError, match="no assembly BOM"):
            await assembly.calculate_standard_cost(priced, "SPOKE", all_levels=False)


class TestLimits:
    async def test_an_explosion_beyond_the_quantity_limit_is_refused(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await set_bom(bikes, "WHEEL", line(10, "SPOKE", "99999999", unit="BOX"))
        with pytest.raises(InvalidAssemblyBomError, match="more than a line can take"):
            await assembly.explode(bikes, "WHEEL", D("99999999"), "")

    async def test_a_deep_tree_of_large_quantities_still_answers(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await set_bom(bikes, "WHEEL", line(10, "SPOKE", "99999999", unit="BOX"))
        await set_bom(bikes, "BIKE", line(10, "WHEEL", "99999999.99999"))
        [_, spokes] = (await assembly.bom_tree(bikes, "BIKE")).lines
        assert spokes.quantity_per_top_item == D("99999999.99999") * D("99999999") * 100

    async def test_a_standard_cost_beyond_the_limit_is_refused_and_nothing_written(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await bikes.assembly.set_unit_cost("SPOKE", D("9999999"), 1)
        await set_bom(bikes, "WHEEL", line(10, "SPOKE", "2"))
        bikes.published.clear()
        with pytest.raises(InvalidAssemblyBomError, match="above the limit"):
            await assembly.calculate_standard_cost(bikes, "WHEEL", all_levels=False)
        assert (await items.get_item(bikes, "WHEEL")).standard_cost == D(0) and announced(bikes) == []


class TestComponentUnits:
    async def test_a_unit_a_bom_uses_cannot_leave_the_component(self, bikes: InMemoryCatalogUnitOfWork) -> None:
        await set_bom(bikes, "WHEEL", line(10, "SPOKE", "0.36", unit="BOX"))
        spoke = await items.get_item(bikes, "SPOKE")
        with pytest.raises(InvalidItemCardError, match="uses item SPOKE in unit BOX"):
            await items.update_item(bikes, "SPOKE", spoke.revision, {"units_of_measure": ()})
        changed = await items.update_item(bikes, "SPOKE", spoke.revision, {"units_of_measure": (
            ItemUnitOfMeasure("BOX", D(50)), ItemUnitOfMeasure("PAL", D(5000)))})
        assert {u.code for u in changed.units_of_measure} == {"BOX", "PAL", "PCS"}


class TestPolicies:
    async def test_a_service_item_is_never_reserved_and_only_assembled_to_stock(self, uow: InMemoryCatalogUnitOfWork) -> None:
        created = await items.create_item(uow, card("FIT", type=ItemType.SERVICE))
        assert created.reserve == ReservePolicy.NEVER and announced(uow)[0].reserve == ReservePolicy.NEVER
        with pytest.raises(InvalidItemCardError, match="cannot be reserved"):
            await items.update_item(uow, "FIT", created.revision, {"reserve": ReservePolicy.ALWAYS})
        with pytest.raises(InvalidItemCardError, match="Assemble-to-Stock"):
            await items.update_item(uow, "FIT", created.revision, {"assembly_policy": AssemblyPolicy.ASSEMBLE_TO_ORDER})

    async def test_an_inventory_item_takes_every_policy(self, uow: InMemoryCatalogUnitOfWork) -> None:
        created = await items.create_item(uow, card("KIT", reserve=ReservePolicy.ALWAYS,
                                                    assembly_policy=AssemblyPolicy.ASSEMBLE_TO_ORDER))
        assert (created.reserve, created.assembly_policy) == (ReservePolicy.ALWAYS, AssemblyPolicy.ASSEMBLE_TO_ORDER)
        changed = await items.update_item(uow, "KIT", created.revision, {"reserve": ReservePolicy.NEVER})
        assert [(e.reserve, e.assembly_policy) for e in announced(uow)] == [
            (ReservePolicy.ALWAYS, AssemblyPolicy.ASSEMBLE_TO_ORDER), (ReservePolicy.NEVER, AssemblyPolicy.ASSEMBLE_TO_ORDER)]
        assert changed.revision == 2
