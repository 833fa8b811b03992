"""How a converted catalog (nonstock) item gets its item no."""

import re
from enum import StrEnum

from catalog.domain.errors import InvalidNumberError

MAX_ITEM_NO = 20
_ITEM_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


class NonstockNoFormat(StrEnum):
    VENDOR_ITEM_NO = "Vendor Item No."
    MFR_VENDOR_ITEM_NO = "Mfr. + Vendor Item No."
    VENDOR_ITEM_NO_MFR = "Vendor Item No. + Mfr."
    ENTRY_NO = "Entry No."
    NO_SERIES = "Item No. Series"


def series_no(prefix: str, number: int, width: int) -> str:
    """A number of a series: prefix and the zero-padded counter (`NS` + 7 at width 5 -> `NS00007`)."""
    return f"{prefix}{number:0{width}d}"


def nonstock_item_no(
    fmt: NonstockNoFormat,
    *,
    entry_no: int,
    vendor_item_no: str,
    manufacturer_code: str,
    separator: str = "",
    next_series_no: str | None = None,
) -> str:
    """The item no. the configured format gives a catalog item; refuses one that is not a valid item no."""
    match fmt:
        case NonstockNoFormat.VENDOR_ITEM_NO:
            number = vendor_item_no
        case NonstockNoFormat.MFR_VENDOR_ITEM_NO:
            number = f"{manufacturer_code}{separator}{vendor_item_no}"
        case NonstockNoFormat.VENDOR_ITEM_NO_MFR:
            number = f"{vendor_item_no}{separator}{manufacturer_code}"
        case NonstockNoFormat.ENTRY_NO:
            number = str(entry_no)
        case NonstockNoFormat.NO_SERIES:
            if next_series_no is None:
                raise InvalidNumberError("the number series of catalog items is not set up")
            number = next_series_no
    if fmt in (NonstockNoFormat.MFR_VENDOR_ITEM_NO, NonstockNoFormat.VENDOR_ITEM_NO_MFR) and not manufacturer_code:
        raise InvalidNumberError(f"format {fmt} needs a manufacturer code")
    if not number or len(number) > MAX_ITEM_NO or not _ITEM_NO.match(number):
        raise InvalidNumberError(
            f"format {fmt} gives {number!r}, which is not a valid item no. (1-{MAX_ITEM_NO} letters, digits, _ . - /)"
        )
    return number
