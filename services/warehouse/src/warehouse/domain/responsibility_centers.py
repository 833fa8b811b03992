"""Responsibility centers: who owns a location and the documents posted from it, and what a caller tied to one
center may see and post."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from warehouse.domain.availability import Figures, PeriodFigures
from warehouse.domain.errors import (
    OutsideResponsibilityCenterError,
    ResponsibilityCenterMismatchError,
    UnknownResponsibilityCenterError,
)
from warehouse.domain.locations import Location
from warehouse.domain.model import EntryDraft

NO_CENTER = ""


@dataclass(frozen=True)
class ResponsibilityCenter:
    code: str
    name: str
    address: str = ""
    city: str = ""
    post_code: str = ""
    country_region_code: str = ""
    contact: str = ""
    phone_no: str = ""


def check_known(code: str, known: bool) -> None:
    if code != NO_CENTER and not known:
        raise UnknownResponsibilityCenterError(
            f"responsibility center {code} does not exist", responsibility_center=code
        )


def visible_center(caller_center: str | None, asked: str | None) -> str | None:
    """The center a read is filtered to: the caller's, if its token ties it to one; else the one asked for (None:
    every center). A caller tied to a center that asks for another is refused, not shown an empty list."""
    if caller_center is None:
        return asked
    if asked is not None and asked != caller_center:
        raise OutsideResponsibilityCenterError(
            f"this caller works for responsibility center {caller_center} and may not read center {asked}",
            responsibility_center=asked, caller_responsibility_center=caller_center,
        )
    return caller_center


def check_may_see(caller_center: str | None, center: str, what: str) -> None:
    """Refuse a caller tied to a center a document, location or card that is not its center's (one of no center
    included: such a caller sees its own center's only)."""
    if caller_center is not None and center != caller_center:
        raise OutsideResponsibilityCenterError(
            f"{what} belongs to responsibility center {center or '(none)'}; this caller works for "
            f"{caller_center} only",
            responsibility_center=center, caller_responsibility_center=caller_center,
        )


def draft_centers(
    drafts: Sequence[EntryDraft], given: str, locations: Mapping[str, Location], caller_center: str | None
) -> list[str]:
    """The responsibility center each draft posts for: the one the document gives, else its location's, else the
    caller's. Refuses a location of another center than the document's, and a caller tied to one center posting
    for or at another."""
    centers: list[str] = []
    for d in drafts:
        location = locations.get(d.location_code)
        at = location.responsibility_center if location is not None else NO_CENTER
        where = {"item_no": d.item_no, "line_no": d.line_no, "location_code": d.location_code}
        if caller_center is not None:
            for center, what in ((at, f"location {d.location_code}"), (given, "the document")):
                if center not in (NO_CENTER, caller_center):
                    raise OutsideResponsibilityCenterError(
                        f"line {d.line_no}: {what} belongs to responsibility center {center}; this caller may post "
                        f"for responsibility center {caller_center} only",
                        responsibility_center=center, caller_responsibility_center=caller_center, **where,
                    )
        if given and at and given != at:
            raise ResponsibilityCenterMismatchError(
                f"line {d.line_no}: location {d.location_code} belongs to responsibility center {at}, "
                f"the document to {given}",
                responsibility_center=given, location_responsibility_center=at, **where,
            )
        centers.append(given or at or caller_center or NO_CENTER)
    return centers


def sum_figures(figures: Sequence[Figures]) -> Figures:
    """Availability over several locations: each figure is the sum of the locations' (zero for none)."""
    names = [f.name for f in fields(Figures)]
    return Figures(**{n: sum((getattr(f, n) for f in figures), Decimal(0)) for n in names})


def sum_periods(per_location: Sequence[Sequence[PeriodFigures]]) -> list[PeriodFigures]:
    """Availability per period over several locations, period by period."""
    return [PeriodFigures(rows[0].period, sum((r.net_change for r in rows), Decimal(0)),
                          sum_figures([r.figures for r in rows]))
            for rows in zip(*per_location, strict=True)]


def document_center(
    given: str, location_codes: Sequence[str], locations: Mapping[str, Location], caller_center: str | None, what: str
) -> str:
    """The center of a document that names locations (a transfer order: from, to; a count: its location): the one
    given, else its first location's, else the caller's. A caller tied to a center may name only that center and
    locations of it (or of none)."""
    centers = [locations[c].responsibility_center if c in locations else NO_CENTER for c in location_codes]
    if caller_center is not None:
        for code, center in [*zip(location_codes, centers, strict=True), ("", given)]:
            if center not in (NO_CENTER, caller_center):
                raise OutsideResponsibilityCenterError(
                    f"{what}: {'location ' + code if code else 'the document'} belongs to responsibility center "
                    f"{center}; this caller may post for responsibility center {caller_center} only",
                    responsibility_center=center, caller_responsibility_center=caller_center,
                )
    return given or next((c for c in centers if c), None) or caller_center or NO_CENTER
