"""Catalog records as CSV rows and back, and what an upsert must change. Pure: no I/O.

Items take the card's field names; `units_of_measure` as `BOX=12;PAL=480` (the base unit is implied),
`variants` as `RED:Red frame;OLD:Old frame:blocked`, one `attr:<Name>` column per attribute. Categories:
`code,parent_code,description,attributes` with `Color=Red;Width=`. Attributes:
`name,type,unit_of_measure,blocked,options` with `Red|Blue`. An empty cell is not given: a new record takes
the default, an existing one keeps its value.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

ITEM_FIELDS = (
    "item_no", "description", "type", "base_unit_of_measure", "costing_method", "standard_cost", "unit_price",
    "indirect_cost_pct", "overhead_rate", "inventory_posting_group", "gen_prod_posting_group", "item_category_code",
    "item_tracking_code", "prevent_negative_inventory", "blocked", "blocked_reason", "sales_blocked",
    "sales_blocked_reason", "purchasing_blocked", "purchasing_blocked_reason", "units_of_measure", "variants",
)
DECIMALS = frozenset({"standard_cost", "unit_price", "indirect_cost_pct", "overhead_rate"})
BOOLEANS = frozenset({"blocked", "sales_blocked", "purchasing_blocked"})
TRUE, FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})


class RowInvalidError(ValueError):
    pass


def _pairs(cell: str, sep: str, column: str) -> list[tuple[str, str]]:
    pairs = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        key, found, value = part.partition(sep)
        if not found:
            raise RowInvalidError(f"{column}: {part!r} is not key{sep}value")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _boolean(cell: str, column: str) -> bool:
    if cell.lower() in TRUE | FALSE:
        return cell.lower() in TRUE
    raise RowInvalidError(f"{column}: {cell!r} is not true or false")


def _decimal(value: Any, column: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise RowInvalidError(f"{column}: {value!r} is not a number") from None


def _cells(row: Mapping[str | None, str | None]) -> dict[str, str]:
    if None in row:
        raise RowInvalidError("more cells than columns")
    return {str(k).strip(): (v or "").strip() for k, v in row.items()}


def item_from_row(row: Mapping[str | None, str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    for column, cell in _cells(row).items():
        if column.startswith("attr:"):
            if cell:
                attributes[column.removeprefix("attr:")] = cell
        elif cell == "":
            continue
        elif column == "units_of_measure":
            data[column] = [{"code": c, "qty_per_unit_of_measure": q} for c, q in _pairs(cell, "=", column)]
        elif column == "variants":
            data[column] = [_variant(part) for part in filter(None, (p.strip() for p in cell.split(";")))]
        elif column in BOOLEANS:
            data[column] = _boolean(cell, column)
        elif column in DECIMALS:
            data[column] = str(_decimal(cell, column))
        else:
            data[column] = cell
    if attributes:
        data["attributes"] = attributes
    return data


def _variant(part: str) -> dict[str, Any]:
    code, found, description = part.partition(":")
    if not found:
        raise RowInvalidError(f"variants: {part!r} is not CODE:Description")
    blocked = description.endswith(":blocked")
    return {"code": code.strip(), "description": description.removesuffix(":blocked").strip(), "blocked": blocked}


def item_to_row(card: Mapping[str, Any]) -> dict[str, str]:
    """The card as a row of `item_from_row`'s columns (`attr:<Name>` for each attribute it has)."""
    row: dict[str, str] = {}
    for name in ITEM_FIELDS:
        value = card.get(name)
        if name == "units_of_measure":
            row[name] = ";".join(f"{u['code']}={u['qty_per_unit_of_measure']}" for u in value or ()
                                 if u["code"] != card.get("base_unit_of_measure"))
        elif name == "variants":
            row[name] = ";".join(f"{v['code']}:{v.get('description', '')}" + (":blocked" if v.get("blocked") else "")
                                 for v in value or ())
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        else:
            row[name] = "" if value is None else str(value)
    for name, value in (card.get("attributes") or {}).items():
        row[f"attr:{name}"] = str(value)
    return row


def category_from_row(row: Mapping[str | None, str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in _cells(row).items() if v}
    if "attributes" in data:
        data["attributes"] = dict(_pairs(data["attributes"], "=", "attributes"))
    return data


def attribute_from_row(row: Mapping[str | None, str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in _cells(row).items() if v}
    if "options" in data:
        data["options"] = [o.strip() for o in data["options"].split("|") if o.strip()]
    if "blocked" in data:
        data["blocked"] = _boolean(data["blocked"], "blocked")
    return data


def _units(value: Iterable[Mapping[str, Any]] | None, base: str | None) -> dict[str, Decimal]:
    return {u["code"]: _decimal(u["qty_per_unit_of_measure"], "units_of_measure") for u in value or ()
            if not (u["code"] == base and _decimal(u["qty_per_unit_of_measure"], "units_of_measure") == 1)}


def _variants(value: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str, bool]]:
    return sorted((v["code"], v.get("description", ""), bool(v.get("blocked", False))) for v in value or ())


def item_changes(desired: Mapping[str, Any], card: Mapping[str, Any]) -> dict[str, Any]:
    """The PATCH body that makes the card what `desired` gives (only the fields it gives; `attributes` merge)."""
    changes: dict[str, Any] = {}
    base = desired.get("base_unit_of_measure", card.get("base_unit_of_measure"))
    for name, value in desired.items():
        if name in ("item_no", "revision", "has_ledger_entries", "nonstock_entry_no"):
            continue
        current = card.get(name)
        if name == "attributes":
            differing = {k: v for k, v in (value or {}).items() if (card.get("attributes") or {}).get(k) != v}
            if differing:
                changes[name] = differing
        elif name == "units_of_measure":
            if _units(value, base) != _units(current, base):
                changes[name] = [u for u in value if u["code"] != base]
        elif name == "variants":
            if _variants(value) != _variants(current):
                changes[name] = value
        elif name in DECIMALS:
            if current is None or _decimal(value, name) != _decimal(current, name):
                changes[name] = value
        elif value != current:
            changes[name] = value
    return changes


def simple_changes(desired: Mapping[str, Any], current: Mapping[str, Any], fixed: Iterable[str]) -> dict[str, Any]:
    """Categories and attributes: every given field that differs; `fixed` ones cannot change."""
    changes = {name: value for name, value in desired.items() if current.get(name) != value}
    for name in fixed:
        if name in changes:
            raise RowInvalidError(f"{name} cannot change ({current.get(name)} in the catalog)")
    return changes


@dataclass(frozen=True)
class Kind:
    """A kind of catalog record the import takes: where it lives, its key, its rows, what a PATCH changes."""

    collection: str
    key: str
    from_row: Callable[[Mapping[str | None, str | None]], dict[str, Any]]
    changes: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]
    if_match: bool = False


KINDS = {
    "items": Kind("/items", "item_no", item_from_row, item_changes, if_match=True),
    "categories": Kind("/item-categories", "code", category_from_row,
                       lambda d, c: simple_changes({k: v for k, v in d.items() if k != "code"}, c, ())),
    "attributes": Kind("/item-attributes", "name", attribute_from_row,
                       lambda d, c: simple_changes({k: v for k, v in d.items() if k != "name"}, c, ("type",))),
}
