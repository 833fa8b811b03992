"""Item attributes: values validated by type, inheritance along the category chain, search filters."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from catalog.domain.errors import InvalidAttributeValueError, InvalidSearchError
from catalog.domain.model import AttributeType, AttributeValue, ItemAttribute, ItemCategory

MAX_TEXT = 250
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


def parse_value(attribute: ItemAttribute, raw: str) -> AttributeValue:
    """Validate `raw` for `attribute`. An empty string is "no value" for every type."""
    text = raw.strip()
    if text == "":
        return AttributeValue("")
    match attribute.type:
        case AttributeType.OPTION:
            if text not in attribute.options:
                raise InvalidAttributeValueError(
                    f"{attribute.name}: {text!r} is not one of {', '.join(attribute.options) or 'its (no) options'}",
                    attribute=attribute.name,
                )
            return AttributeValue(text)
        case AttributeType.TEXT:
            if len(text) > MAX_TEXT:
                raise InvalidAttributeValueError(f"{attribute.name}: longer than {MAX_TEXT} characters", attribute=attribute.name)
            return AttributeValue(text)
        case AttributeType.INTEGER:
            if not _INTEGER.match(text):
                raise InvalidAttributeValueError(f"{attribute.name}: {text!r} is not an integer", attribute=attribute.name)
            return AttributeValue(str(int(text)), number=Decimal(int(text)))
        case AttributeType.DECIMAL:
            number = _decimal(text)
            if number is None:
                raise InvalidAttributeValueError(f"{attribute.name}: {text!r} is not a decimal number", attribute=attribute.name)
            return AttributeValue(text, number=number)
        case AttributeType.DATE:
            day = _date(text)
            if day is None:
                raise InvalidAttributeValueError(f"{attribute.name}: {text!r} is not a date (YYYY-MM-DD)", attribute=attribute.name)
            return AttributeValue(day.isoformat(), day=day)
    raise AssertionError(attribute.type)  # pragma: no cover


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15 or number.as_tuple().exponent < -5:  # type: ignore[operator]
        return None
    return number


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def chain_defaults(chain: Sequence[ItemCategory]) -> dict[str, str]:
    """Attribute defaults of a category chain (root first): a child's definition overrides its parent's default."""
    defaults: dict[str, str] = {}
    for category in chain:
        for name, default in category.attributes.items():
            if name not in defaults or default != "":
                defaults[name] = default
    return defaults


def reassign(current: Mapping[str, str], old_chain: Mapping[str, str], new_chain: Mapping[str, str]) -> dict[str, str]:
    """The item's attributes after its category chain changes from `old_chain` to `new_chain`.

    Attributes of the old chain that the new one lacks are removed; the new chain's attributes the item
    lacks are added with their defaults; a value the item already has is kept, and attributes the item
    has on its own (of no chain) stay.
    """
    values = {name: value for name, value in current.items() if name not in old_chain or name in new_chain}
    for name, default in new_chain.items():
        values.setdefault(name, default)
    return values


class FilterOp(StrEnum):
    EQ = "eq"
    CONTAINS = "contains"
    BEGINS = "begins"
    RANGE = "range"


@dataclass(frozen=True)
class AttributeFilter:
    """One attribute condition of a search, with its bounds typed for the attribute."""

    attribute: str
    op: FilterOp
    text: str = ""
    low: Decimal | date | None = None
    high: Decimal | date | None = None


_FILTER = re.compile(r"^(?P<name>.+?):(?P<op>eq|contains|begins|range):(?P<value>.*)$")
_ALLOWED = {
    AttributeType.OPTION: {FilterOp.EQ},
    AttributeType.TEXT: {FilterOp.EQ, FilterOp.CONTAINS, FilterOp.BEGINS},
    AttributeType.INTEGER: {FilterOp.EQ, FilterOp.RANGE},
    AttributeType.DECIMAL: {FilterOp.EQ, FilterOp.RANGE},
    AttributeType.DATE: {FilterOp.EQ, FilterOp.RANGE},
}


def split_filter(expression: str) -> tuple[str, FilterOp, str]:
    """`Name:op:value` -> its parts (`op` is eq, contains, begins or range; a range is `from..to`)."""
    match = _FILTER.match(expression)
    if not match:
        raise InvalidSearchError(f"attribute filter {expression!r} is not Name:eq|contains|begins|range:value")
    return match["name"], FilterOp(match["op"]), match["value"]


def build_filter(attribute: ItemAttribute, op: FilterOp, value: str) -> AttributeFilter:
    if op not in _ALLOWED[attribute.type]:
        raise InvalidSearchError(f"{attribute.name} is a {attribute.type} attribute; it cannot be filtered with {op}")
    if op == FilterOp.EQ and attribute.type in (AttributeType.INTEGER, AttributeType.DECIMAL, AttributeType.DATE):
        bound = _bound(attribute, value)
        if bound is None:
            raise InvalidSearchError(f"{attribute.name}: eq needs a value")
        return AttributeFilter(attribute.name, FilterOp.RANGE, low=bound, high=bound)
    if op == FilterOp.RANGE:
        low, sep, high = value.partition("..")
        if not sep:
            raise InvalidSearchError(f"{attribute.name}: a range is from..to (either side may be empty)")
        return AttributeFilter(attribute.name, op, low=_bound(attribute, low), high=_bound(attribute, high))
    if value == "" and op != FilterOp.EQ:
        raise InvalidSearchError(f"{attribute.name}: {op} needs a value")
    return AttributeFilter(attribute.name, op, text=value)


def _bound(attribute: ItemAttribute, text: str) -> Decimal | date | None:
    if text.strip() == "":
        return None
    bound = _date(text.strip()) if attribute.type == AttributeType.DATE else _decimal(text.strip())
    if bound is None:
        raise InvalidSearchError(f"{attribute.name}: {text!r} is not a valid {attribute.type} bound")
    return bound


def check_definition(attribute: ItemAttribute) -> None:
    """An attribute's options and unit fit its type: options only for Option (distinct, not blank), a unit only for numbers."""
    if attribute.type != AttributeType.OPTION and attribute.options:
        raise InvalidAttributeValueError(f"only Option attributes have options; {attribute.name} is {attribute.type}")
    if len(set(attribute.options)) != len(attribute.options) or any(not o.strip() for o in attribute.options):
        raise InvalidAttributeValueError(f"options of {attribute.name} must be distinct and not blank")
    if attribute.unit_of_measure and attribute.type not in (AttributeType.INTEGER, AttributeType.DECIMAL):
        raise InvalidAttributeValueError(f"only number attributes have a unit; {attribute.name} is {attribute.type}")
