"""The SQL of resource cards."""

import asyncpg

from catalog.domain.resources import Resource, ResourceType

_COLUMNS = ("no, name, type, base_unit_of_measure, direct_unit_cost, indirect_cost_pct, unit_cost, unit_price, "
            "capacity_per_day, service_zone_code, blocked")


class PostgresResourceRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, resource: Resource) -> bool:
        inserted = await self._conn.fetchval(
            f"INSERT INTO resources ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            "ON CONFLICT (no) DO NOTHING RETURNING true", *_values(resource),
        )
        return bool(inserted)

    async def get(self, no: str, *, for_update: bool = False) -> Resource | None:
        row = await self._conn.fetchrow(
            f"SELECT {_COLUMNS} FROM resources WHERE no = $1{' FOR UPDATE' if for_update else ''}", no
        )
        return _to_resource(row) if row else None

    async def update(self, resource: Resource) -> None:
        await self._conn.execute(
            "UPDATE resources SET name = $2, type = $3, base_unit_of_measure = $4, direct_unit_cost = $5, "
            "indirect_cost_pct = $6, unit_cost = $7, unit_price = $8, capacity_per_day = $9, service_zone_code = $10, "
            "blocked = $11 WHERE no = $1", *_values(resource),
        )

    async def list_after(self, after: str, limit: int) -> list[Resource]:
        rows = await self._conn.fetch(
            f"SELECT {_COLUMNS} FROM resources WHERE no > $1 ORDER BY no LIMIT $2", after, limit
        )
        return [_to_resource(r) for r in rows]

    async def all(self) -> list[Resource]:
        return [_to_resource(r) for r in await self._conn.fetch(f"SELECT {_COLUMNS} FROM resources ORDER BY no")]


def _values(r: Resource) -> tuple[object, ...]:
    return (r.no, r.name, str(r.type), r.base_unit_of_measure, r.direct_unit_cost, r.indirect_cost_pct, r.unit_cost,
            r.unit_price, r.capacity_per_day, r.service_zone_code, r.blocked)


def _to_resource(row: asyncpg.Record) -> Resource:
    return Resource(
        no=row["no"], name=row["name"], type=ResourceType(row["type"]), base_unit_of_measure=row["base_unit_of_measure"],
        direct_unit_cost=row["direct_unit_cost"], indirect_cost_pct=row["indirect_cost_pct"], unit_price=row["unit_price"],
        capacity_per_day=row["capacity_per_day"], service_zone_code=row["service_zone_code"], blocked=row["blocked"],
    )
