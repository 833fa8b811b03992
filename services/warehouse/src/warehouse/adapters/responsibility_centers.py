"""Responsibility centers and their locations in PostgreSQL."""

from collections.abc import Iterable

import asyncpg

from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.locations import Location
from warehouse.domain.responsibility_centers import ResponsibilityCenter

_CENTER = "code, name, address, city, post_code, country_region_code, contact, phone_no"
_LOCATION = "code, name, use_as_in_transit, bin_mandatory, responsibility_center"


class PostgresResponsibilityCenters:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, center: ResponsibilityCenter) -> None:
        try:
            await self._conn.execute(
                f"INSERT INTO responsibility_centers ({_CENTER}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                *_values(center),
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(
                f"responsibility center {center.code} exists already", responsibility_center=center.code
            ) from exc

    async def centers(self, codes: Iterable[str]) -> dict[str, ResponsibilityCenter]:
        rows = await self._conn.fetch(
            f"SELECT {_CENTER} FROM responsibility_centers WHERE code = ANY($1::text[])", sorted(set(codes))
        )
        return {r["code"]: ResponsibilityCenter(**dict(r)) for r in rows}

    async def page(self, after: str | None, limit: int) -> list[ResponsibilityCenter]:
        rows = await self._conn.fetch(
            f"""SELECT {_CENTER} FROM responsibility_centers WHERE ($1::text IS NULL OR code > $1)
                ORDER BY code LIMIT $2""",
            after, limit,
        )
        return [ResponsibilityCenter(**dict(r)) for r in rows]

    async def change(self, center: ResponsibilityCenter) -> None:
        await self._conn.execute(
            """
            UPDATE responsibility_centers SET name = $2, address = $3, city = $4, post_code = $5,
                   country_region_code = $6, contact = $7, phone_no = $8, changed_at = now()
            WHERE code = $1
            """,
            *_values(center),
        )

    async def assign_location(self, location_code: str, center: str) -> None:
        await self._conn.execute(
            "UPDATE locations SET responsibility_center = $2 WHERE code = $1", location_code, center
        )

    async def locations_page(self, center: str, after: str | None, limit: int) -> list[Location]:
        rows = await self._conn.fetch(
            f"""SELECT {_LOCATION} FROM locations WHERE responsibility_center = $1 AND ($2::text IS NULL OR code > $2)
                ORDER BY code LIMIT $3""",
            center, after, limit,
        )
        return [Location(**dict(r)) for r in rows]

    async def entry_centers(self, entry_nos: Iterable[int]) -> dict[int, str]:
        rows = await self._conn.fetch(
            "SELECT entry_no, responsibility_center FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])",
            sorted(set(entry_nos)),
        )
        return {r["entry_no"]: r["responsibility_center"] for r in rows}


def _values(c: ResponsibilityCenter) -> tuple[str, ...]:
    return (c.code, c.name, c.address, c.city, c.post_code, c.country_region_code, c.contact, c.phone_no)
