"""Locations, bins and bin contents in PostgreSQL."""

from collections.abc import Iterable

import asyncpg

from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.locations import Bin, BinContent, Location

_LOCATION = "code, name, use_as_in_transit, bin_mandatory, responsibility_center"


class PostgresLocationRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, location: Location) -> None:
        try:
            await self._conn.execute(
                """
                INSERT INTO locations (code, name, use_as_in_transit, bin_mandatory, responsibility_center)
                VALUES ($1, $2, $3, $4, $5)
                """,
                location.code, location.name, location.use_as_in_transit, location.bin_mandatory,
                location.responsibility_center,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"location {location.code} exists already", location_code=location.code) from exc

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]:
        rows = await self._conn.fetch(f"SELECT {_LOCATION} FROM locations WHERE code = ANY($1::text[])", sorted(set(codes)))
        return {r["code"]: Location(**dict(r)) for r in rows}

    async def page(self, after: str | None, limit: int) -> list[Location]:
        rows = await self._conn.fetch(
            f"SELECT {_LOCATION} FROM locations WHERE ($1::text IS NULL OR code > $1) ORDER BY code LIMIT $2", after, limit
        )
        return [Location(**dict(r)) for r in rows]

    async def add_bin(self, bin_: Bin) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO bins (location_code, code, description) VALUES ($1, $2, $3)",
                bin_.location_code, bin_.code, bin_.description,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(
                f"bin {bin_.code} exists already at location {bin_.location_code}",
                location_code=bin_.location_code, bin_code=bin_.code,
            ) from exc

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]:
        rows = await self._conn.fetch(
            "SELECT location_code, code, description FROM bins WHERE location_code = ANY($1::text[]) ORDER BY location_code, code",
            sorted(set(location_codes)),
        )
        found: dict[str, list[Bin]] = {}
        for r in rows:
            found.setdefault(r["location_code"], []).append(Bin(**dict(r)))
        return found

    async def bin_contents(
        self, item_no: str | None, location_code: str | None, bin_code: str | None
    ) -> list[BinContent]:
        rows = await self._conn.fetch(
            """
            SELECT location_code, bin_code, item_no, variant_code, sum(quantity) AS quantity FROM item_ledger_entries
            WHERE bin_code <> '' AND ($1::text IS NULL OR item_no = $1) AND ($2::text IS NULL OR location_code = $2)
              AND ($3::text IS NULL OR bin_code = $3)
            GROUP BY location_code, bin_code, item_no, variant_code HAVING sum(quantity) <> 0
            ORDER BY location_code, bin_code, item_no, variant_code LIMIT 10000
            """,
            item_no, location_code, bin_code,
        )
        return [BinContent(**dict(r)) for r in rows]
