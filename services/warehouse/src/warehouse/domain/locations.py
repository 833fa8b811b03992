"""Locations, bins and where a line may post."""

from dataclasses import dataclass
from decimal import Decimal

from warehouse.domain.errors import (
    BinRequiredError,
    InTransitLocationError,
    InvalidLocationError,
    UnknownBinError,
    UnknownLocationError,
)

BLANK_LOCATION = ""


@dataclass(frozen=True)
class Location:
    code: str
    name: str
    use_as_in_transit: bool = False
    bin_mandatory: bool = False
    responsibility_center: str = ""

    def check(self) -> None:
        if not self.code:
            raise InvalidLocationError("a location needs a code; the blank location exists without a card")
        if self.use_as_in_transit and self.bin_mandatory:
            raise InvalidLocationError(
                f"location {self.code}: an in-transit location cannot be bin mandatory", location_code=self.code
            )


@dataclass(frozen=True)
class Bin:
    location_code: str
    code: str
    description: str = ""


@dataclass(frozen=True)
class BinContent:
    """The quantity of an item (and variant) in a bin, from the entries posted with that bin."""

    location_code: str
    bin_code: str
    item_no: str
    variant_code: str
    quantity: Decimal


def new_bin(location: Location, code: str, description: str) -> Bin:
    """A bin of `location`; an in-transit location holds no bins."""
    if location.use_as_in_transit:
        raise InvalidLocationError(
            f"location {location.code} is an in-transit location and has no bins", location_code=location.code
        )
    return Bin(location.code, code, description)


def check_location(
    location_code: str, location: Location | None, *, line_no: int, item_no: str, what: str = "an item journal line"
) -> None:
    """Refuse a location `what` may not post to: unknown, or in transit. The blank location is always postable."""
    where = {"item_no": item_no, "line_no": line_no, "location_code": location_code}
    if location_code == BLANK_LOCATION:
        return
    if location is None:
        raise UnknownLocationError(f"line {line_no}: location {location_code} does not exist", **where)
    if location.use_as_in_transit:
        raise InTransitLocationError(
            f"line {line_no}: location {location_code} is an in-transit location; only transfers post there, not {what}",
            **where,
        )


def check_destination(
    location_code: str,
    bin_code: str,
    location: Location | None,
    bins_of_location: frozenset[str],
    *,
    line_no: int,
    item_no: str,
) -> None:
    """Refuse a location or bin an item journal line may not post to."""
    check_location(location_code, location, line_no=line_no, item_no=item_no)
    where = {"item_no": item_no, "line_no": line_no, "location_code": location_code}
    bin_mandatory = location is not None and location.bin_mandatory
    if bin_mandatory and not bin_code:
        raise BinRequiredError(f"line {line_no}: location {location_code} is bin mandatory; the line needs a bin_code", **where)
    if bin_code and not bin_mandatory:
        raise UnknownBinError(
            f"line {line_no}: location {location_code or '(blank)'} does not use bins; omit bin_code", bin_code=bin_code, **where
        )
    if bin_code and bin_code not in bins_of_location:
        raise UnknownBinError(f"line {line_no}: bin {bin_code} does not exist at location {location_code}", bin_code=bin_code, **where)
