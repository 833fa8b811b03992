"""CSV rows of the import, turned into the same commands as the HTTP API's bodies. Pure: no I/O.

Items: the columns of the item card (`item_no`, `description`, `base_unit_of_measure`, ...), plus
`units_of_measure` as `BOX=12;PAL=480`, `variants` as `RED:Red frame;BLUE:Blue frame`, and one
`attr:<Name>` column per attribute. Categories: `code`, `parent_code`, `description`, `attributes`
as `Color=Red;Width=`. Attributes: `name`, `type`, `unit_of_measure`, `blocked`, `options` as `Red|Blue`.
Empty cells take the default.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from catalog.domain.model import Item, ItemAttribute, ItemCategory
from catalog.entrypoints.schemas import AttributeIn, CategoryIn, ItemCreate

KINDS = ("items", "categories", "attributes")
Command = Item | ItemCategory | ItemAttribute


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class RowInvalidError(ValueError):
    pass


def _pairs(cell: str, sep: str, line_what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        key, found, value = part.partition(sep)
        if not found:
            raise RowInvalidError(f"{line_what}: {part!r} is not key{sep}value")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _validated(model: type[BaseModel], data: Mapping[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RowInvalidError("; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors(include_url=False)
        )) from None


def parse_item(row: Mapping[str, str]) -> Item:
    from catalog.entrypoints.routes.items import item_from

    data: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    for column, raw in row.items():
        if column is None:
            raise RowInvalidError("more cells than columns")
        cell = (raw or "").strip()
        if column.startswith("attr:"):
            if cell:
                attributes[column.removeprefix("attr:")] = cell
        elif cell == "":
            continue
        elif column == "units_of_measure":
            data[column] = [{"code": c, "qty_per_unit_of_measure": q} for c, q in _pairs(cell, "=", column)]
        elif column == "variants":
            data[column] = [{"code": c, "description": d} for c, d in _pairs(cell, ":", column)]
        else:
            data[column] = cell
    data["attributes"] = attributes
    return item_from(_validated(ItemCreate, data))


def parse_category(row: Mapping[str, str]) -> ItemCategory:
    data: dict[str, Any] = {k: (v or "").strip() for k, v in row.items() if k and (v or "").strip()}
    data["attributes"] = dict(_pairs(data.pop("attributes", ""), "=", "attributes"))
    return ItemCategory(**_validated(CategoryIn, data).model_dump())


def parse_attribute(row: Mapping[str, str]) -> ItemAttribute:
    data: dict[str, Any] = {k: (v or "").strip() for k, v in row.items() if k and (v or "").strip()}
    data["options"] = [o.strip() for o in data.pop("options", "").split("|") if o.strip()]
    body = _validated(AttributeIn, data)
    return ItemAttribute(**{**body.model_dump(), "options": tuple(body.options)})


PARSERS = {"items": parse_item, "categories": parse_category, "attributes": parse_attribute}


def parse_rows(kind: str, rows: Iterable[tuple[int, Mapping[str, str]]]) -> tuple[list[tuple[int, Command]], list[RowError]]:
    """Every row parsed, or the reason it is not, with its line number in the file."""
    parse = PARSERS[kind]
    commands: list[tuple[int, Command]] = []
    errors: list[RowError] = []
    for line, row in rows:
        try:
            commands.append((line, parse(row)))
        except RowInvalidError as exc:
            errors.append(RowError(line, str(exc)))
    return commands, errors
