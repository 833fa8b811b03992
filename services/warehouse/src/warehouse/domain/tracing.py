"""Item tracing: from the entries of a serial or lot number, the entries linked to them, level by level."""

from collections.abc import Iterable
from enum import StrEnum


class TraceDirection(StrEnum):
    USAGE = "usage"
    """From where the number came in to where it went: inbound -> the outbound entries applied to it; an outbound
    entry -> the inbound entries that took their cost from it (the receiving side of a transfer, a return)."""
    ORIGIN = "origin"
    """From where it went back to where it came from: the reverse links."""


def next_links(
    direction: TraceDirection,
    frontier: Iterable[int],
    applications: Iterable[tuple[int, int]],
    applies_from: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """(from entry, to entry) one step on from `frontier`.

    `applications` are (inbound entry, outbound entry); `applies_from` are (inbound entry, the outbound entry it
    takes its cost from).
    """
    nos = set(frontier)
    links: list[tuple[int, int]] = []
    for inbound, outbound in applications:
        if direction is TraceDirection.USAGE and inbound in nos:
            links.append((inbound, outbound))
        if direction is TraceDirection.ORIGIN and outbound in nos:
            links.append((outbound, inbound))
    for inbound, source in applies_from:
        if direction is TraceDirection.USAGE and source in nos:
            links.append((source, inbound))
        if direction is TraceDirection.ORIGIN and inbound in nos:
            links.append((inbound, source))
    return sorted(set(links))
