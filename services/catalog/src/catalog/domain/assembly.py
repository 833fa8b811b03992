"""Assembly BOMs: what a valid BOM is, its multi-level tree, where an item is used, the explosion of a kit and the
standard cost roll-up (Business Central's Calc. Standard Cost). Pure functions over item cards loaded by the caller."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from inventory_contracts.catalog import BomComponentType, CostingMethod, ResourceUsageType
from inventory_contracts.limits import QUANTITY_MAX, UNIT_COST_MAX

from catalog.domain.errors import AssemblyBomCycleError, InvalidAssemblyBomError
from catalog.domain.model import AssemblyBomLine, Item

PRECISION = Decimal("0.00001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


# Quantities multiplied down a deep tree can outgrow the default 28 digits; quantize would then raise.
_WIDE = Context(prec=100)


def round5(value: Decimal) -> Decimal:
    return value.quantize(PRECISION, rounding=ROUND_HALF_UP, context=_WIDE)


@dataclass(frozen=True)
class ResourceCost:
    """What a BOM needs of a resource card."""

    no: str
    name: str
    base_unit_of_measure: str
    direct_unit_cost: Decimal
    unit_cost: Decimal
    blocked: bool = False


def qty_per_unit(item: Item, unit_code: str) -> Decimal | None:
    """Base units in one `unit_code` of the item (blank: the base unit); None when the item has no such unit."""
    code = unit_code or item.base_unit_of_measure
    if code == item.base_unit_of_measure:
        return Decimal(1)
    return next((u.qty_per_unit_of_measure for u in item.units_of_measure if u.code == code), None)


def base_quantity_per(line: AssemblyBomLine, component: Item) -> Decimal:
    """The line's quantity per parent unit in the component's base unit."""
    return line.quantity_per * (qty_per_unit(component, line.unit_of_measure_code) or Decimal(1))


def item_components(lines: Sequence[AssemblyBomLine]) -> list[str]:
    return sorted({line.no for line in lines if line.type == BomComponentType.ITEM})


def validate_bom(
    parent: Item,
    lines: Sequence[AssemblyBomLine],
    components: Mapping[str, Item],
    resources: Mapping[str, ResourceCost],
    boms: Mapping[str, Sequence[AssemblyBomLine]],
) -> tuple[AssemblyBomLine, ...]:
    """The BOM normalised (lines in order, blank units and descriptions filled in from the component), or the first
    rule it breaks. `components` holds the live component items, `resources` the resources the lines name, `boms`
    the BOM of every item below the components (for the cycle check)."""
    seen: set[int] = set()
    normalised = []
    for line in sorted(lines, key=lambda b: b.line_no):
        if line.line_no in seen:
            raise InvalidAssemblyBomError(f"line {line.line_no} appears twice", item_no=parent.item_no, line_no=line.line_no)
        seen.add(line.line_no)
        normalised.append(_validate_line(parent, line, components, resources))
    cycle = find_cycle(parent.item_no, item_components(normalised), boms)
    if cycle:
        raise AssemblyBomCycleError(
            f"item {parent.item_no} would be its own component: {' -> '.join(cycle)}", item_no=parent.item_no, cycle=cycle
        )
    return tuple(normalised)


def _validate_line(
    parent: Item, line: AssemblyBomLine, components: Mapping[str, Item], resources: Mapping[str, ResourceCost]
) -> AssemblyBomLine:
    def refuse(reason: str) -> InvalidAssemblyBomError:
        return InvalidAssemblyBomError(f"line {line.line_no}: {reason}", item_no=parent.item_no, line_no=line.line_no)

    if line.type == BomComponentType.TEXT:
        if line.no or line.quantity_per or line.unit_of_measure_code:
            raise refuse("a text line has no no., quantity or unit of measure")
        if line.resource_usage_type != ResourceUsageType.DIRECT:
            raise refuse("only resource lines have a resource usage type")
        return line
    if not line.no:
        raise refuse(f"an {line.type} line needs a no.")
    if line.quantity_per <= 0:
        raise refuse("quantity per must be greater than 0")
    if line.type == BomComponentType.ITEM:
        if line.resource_usage_type != ResourceUsageType.DIRECT:
            raise refuse("only resource lines have a resource usage type")
        if line.no == parent.item_no:
            raise refuse(f"item {parent.item_no} cannot be a component of itself")
        component = components.get(line.no)
        if component is None:
            raise refuse(f"item {line.no} does not exist")
        unit = line.unit_of_measure_code or component.base_unit_of_measure
        if qty_per_unit(component, unit) is None:
            raise refuse(f"item {line.no} has no unit of measure {unit}")
        return AssemblyBomLine(line.line_no, line.type, line.no, line.description or component.description,
                               line.quantity_per, unit, line.resource_usage_type)
    resource = resources.get(line.no)
    if resource is None:
        raise refuse(f"resource {line.no} does not exist")
    unit = line.unit_of_measure_code or resource.base_unit_of_measure
    if unit != resource.base_unit_of_measure:
        raise refuse(f"resource {line.no} is used in its base unit {resource.base_unit_of_measure}, not {unit}")
    return AssemblyBomLine(line.line_no, line.type, line.no, line.description or resource.name,
                           line.quantity_per, unit, line.resource_usage_type)


def find_cycle(parent_no: str, component_nos: Collection[str], boms: Mapping[str, Sequence[AssemblyBomLine]]) -> list[str]:
    """A path parent -> ... -> parent through the components' BOMs at any depth, or [] when there is none."""
    done: set[str] = set()

    def walk(path: list[str]) -> list[str]:
        current = path[-1]
        nos = component_nos if len(path) == 1 else item_components(boms.get(current, ()))
        for no in sorted(nos):
            if no == parent_no:
                return [*path, no]
            if no in done or no in path:
                continue
            found = walk([*path, no])
            if found:
                return found
            done.add(no)
        return []

    return walk([parent_no])


@dataclass(frozen=True)
class BomTreeLine:
    level: int
    parent_item_no: str
    line: AssemblyBomLine
    quantity_per_top_item: Decimal
    low_level_code: int | None
    has_assembly_bom: bool


def bom_tree(top: Item, items: Mapping[str, Item], low_level_codes: Mapping[str, int]) -> list[BomTreeLine]:
    """The top item's BOM and, below each assembled component, that component's BOM, depth first (BC's BOM
    structure). `items` holds every item below the top."""
    tree: list[BomTreeLine] = []

    def walk(parent: Item, level: int, factor: Decimal) -> None:
        for line in parent.assembly_bom:
            component = items.get(line.no) if line.type == BomComponentType.ITEM else None
            if line.type == BomComponentType.ITEM and component is not None:
                quantity = round5(factor * base_quantity_per(line, component))
            elif line.type == BomComponentType.RESOURCE:
                quantity = round5(factor * line.quantity_per)
            else:
                quantity = ZERO
            assembled = component is not None and bool(component.assembly_bom)
            tree.append(BomTreeLine(level, parent.item_no, line, quantity,
                                    low_level_codes.get(line.no) if component is not None else None, assembled))
            if component is not None and assembled:
                walk(component, level + 1, factor * base_quantity_per(line, component))

    walk(top, 1, Decimal(1))
    return tree


def low_level_codes(item_nos: Collection[str], parents: Mapping[str, Collection[str]]) -> dict[str, int]:
    """BC's low-level code of each item: 0 when no BOM uses it, else one more than the deepest of its parents.
    `parents` maps every item above `item_nos` to the items whose BOMs name it."""
    codes: dict[str, int] = {}

    def code(no: str) -> int:
        if no not in codes:
            above = parents.get(no, ())
            codes[no] = 1 + max(code(p) for p in above) if above else 0
        return codes[no]

    return {no: code(no) for no in item_nos}


@dataclass(frozen=True)
class WhereUsedEntry:
    level: int
    item_no: str
    description: str
    quantity_needed: Decimal


def where_used(
    item: Item, uses: Mapping[str, Sequence[tuple[Item, AssemblyBomLine]]]
) -> list[WhereUsedEntry]:
    """Every parent that uses the item, directly (level 1) or through sub-assemblies, with the item's base units
    needed per base unit of that parent (BC's where-used list). `uses` maps each item to its parents and the lines
    that name it; the lines of one parent add up."""
    entries: list[WhereUsedEntry] = []

    def walk(component: Item, level: int, factor: Decimal) -> None:
        by_parent: dict[str, tuple[Item, Decimal]] = {}
        for parent, line in uses.get(component.item_no, ()):
            _, quantity = by_parent.get(parent.item_no, (parent, ZERO))
            by_parent[parent.item_no] = parent, quantity + base_quantity_per(line, component)
        for parent_no in sorted(by_parent):
            parent, quantity = by_parent[parent_no]
            needed = factor * quantity
            entries.append(WhereUsedEntry(level, parent_no, parent.description, round5(needed)))
            walk(parent, level + 1, needed)

    walk(item, 1, Decimal(1))
    return entries


@dataclass(frozen=True)
class ExplodedLine:
    line_no: int
    no: str
    description: str
    quantity: Decimal
    unit_of_measure_code: str
    quantity_base: Decimal


def explode(parent: Item, quantity: Decimal, unit_code: str, components: Mapping[str, Item]) -> list[ExplodedLine]:
    """BC's Explode BOM: the component item lines that replace `quantity` of the parent (in `unit_code`, blank: its
    base unit) on a document line. Text and resource lines are dropped; one level only."""
    if not parent.assembly_bom:
        raise InvalidAssemblyBomError(f"item {parent.item_no} has no assembly BOM to explode", item_no=parent.item_no)
    if quantity <= 0:
        raise InvalidAssemblyBomError("the quantity to explode must be greater than 0", item_no=parent.item_no)
    per_unit = qty_per_unit(parent, unit_code)
    if per_unit is None:
        raise InvalidAssemblyBomError(f"item {parent.item_no} has no unit of measure {unit_code}", item_no=parent.item_no)
    parent_base = quantity * per_unit
    lines = []
    for line in parent.assembly_bom:
        component = components.get(line.no)
        if line.type != BomComponentType.ITEM or component is None:
            continue
        exploded = ExplodedLine(
            line.line_no, line.no, line.description, round5(_WIDE.multiply(parent_base, line.quantity_per)),
            line.unit_of_measure_code, round5(_WIDE.multiply(parent_base, base_quantity_per(line, component))),
        )
        if exploded.quantity_base > QUANTITY_MAX:
            raise InvalidAssemblyBomError(
                f"line {line.line_no}: {exploded.quantity_base} of item {line.no} is more than a line can take",
                item_no=parent.item_no, line_no=line.line_no,
            )
        lines.append(exploded)
    return lines


@dataclass(frozen=True)
class StandardCostShares:
    """The parts of an assembled item's standard cost, per base unit (BC's single-level costs)."""

    material: Decimal
    capacity: Decimal
    capacity_overhead: Decimal
    manufacturing_overhead: Decimal

    @property
    def standard_cost(self) -> Decimal:
        return self.material + self.capacity + self.capacity_overhead + self.manufacturing_overhead


def component_unit_cost(item: Item) -> Decimal:
    """What a component costs the roll-up per base unit: its standard cost if costed Standard, else its unit cost."""
    return item.standard_cost if item.costing_method == CostingMethod.STANDARD else item.unit_cost


def roll_up(
    parent: Item, components: Mapping[str, Item], resources: Mapping[str, ResourceCost],
    rolled_up: Mapping[str, Decimal] | None = None,
) -> StandardCostShares:
    """One level of BC's Calc. Standard Cost for an assembled item. A component in `rolled_up` (a sub-assembly
    calculated first) costs its new standard cost. A Fixed resource usage is once per lot: divided by the parent's
    lot size (1 when it has none). The manufacturing overhead is the parent's indirect cost % of the other three
    shares plus its overhead rate. Each share is rounded to 5 decimals; the standard cost is their sum."""
    rolled_up = rolled_up or {}
    lot_size = parent.lot_size if parent.lot_size > 0 else Decimal(1)
    material = capacity = capacity_overhead = ZERO
    for line in parent.assembly_bom:
        if line.type == BomComponentType.TEXT:
            continue
        if line.no not in (components if line.type == BomComponentType.ITEM else resources):
            raise InvalidAssemblyBomError(f"line {line.line_no}: {line.type} {line.no} no longer exists",
                                          item_no=parent.item_no, line_no=line.line_no)
        if line.type == BomComponentType.ITEM:
            component = components[line.no]
            cost = rolled_up.get(line.no, component_unit_cost(component))
            material += base_quantity_per(line, component) * cost
        else:
            resource = resources[line.no]
            usage = line.quantity_per / lot_size if line.resource_usage_type == ResourceUsageType.FIXED else line.quantity_per
            capacity += usage * resource.direct_unit_cost
            capacity_overhead += usage * (resource.unit_cost - resource.direct_unit_cost)
    material, capacity, capacity_overhead = round5(material), round5(capacity), round5(capacity_overhead)
    overhead = round5((material + capacity + capacity_overhead) * parent.indirect_cost_pct / HUNDRED + parent.overhead_rate)
    shares = StandardCostShares(material, capacity, capacity_overhead, overhead)
    if shares.standard_cost > UNIT_COST_MAX:
        raise InvalidAssemblyBomError(
            f"the standard cost of item {parent.item_no} would be {shares.standard_cost}, above the limit {UNIT_COST_MAX}",
            item_no=parent.item_no,
        )
    return shares


def roll_up_order(top: Item, items: Mapping[str, Item]) -> list[str]:
    """The assembled items at and below `top`, each after every assembled item in its BOM (bottom-up)."""
    order: list[str] = []

    def visit(item: Item) -> None:
        for no in item_components(item.assembly_bom):
            component = items.get(no)
            if component is not None and component.assembly_bom and no not in order:
                visit(component)
        if item.item_no not in order:
            order.append(item.item_no)

    visit(top)
    return order
