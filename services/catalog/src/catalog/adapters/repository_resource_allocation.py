"""The SQL of resource allocation: skills, zones, service item groups, customers, service orders, allocations."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    CodeDescription,
    Customer,
    ResourceAllocation,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
    ServiceOrderLine,
)

TABLES = {
    ServiceMasterKind.SKILL_CODES: "skill_codes",
    ServiceMasterKind.SERVICE_ZONES: "service_zones",
    ServiceMasterKind.SERVICE_ITEM_GROUPS: "service_item_groups",
}
LINE_LOCK_CLASS = 5950
_ALLOCATION = ("entry_no, source_type, source_no, source_line_no, parent_item_no, resource_no, allocation_date, hours, "
               "status")


class PostgresResourceAllocationRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add_code(self, kind: ServiceMasterKind, record: CodeDescription) -> bool:
        return bool(await self._conn.fetchval(
            f"INSERT INTO {TABLES[kind]} (code, description) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING true",
            record.code, record.description,
        ))

    async def get_code(self, kind: ServiceMasterKind, code: str) -> CodeDescription | None:
        row = await self._conn.fetchrow(f"SELECT code, description FROM {TABLES[kind]} WHERE code = $1", code)
        return CodeDescription(row["code"], row["description"]) if row else None

    async def codes(self, kind: ServiceMasterKind) -> list[CodeDescription]:
        rows = await self._conn.fetch(f"SELECT code, description FROM {TABLES[kind]} ORDER BY code")
        return [CodeDescription(r["code"], r["description"]) for r in rows]

    async def update_code(self, kind: ServiceMasterKind, record: CodeDescription) -> None:
        await self._conn.execute(f"UPDATE {TABLES[kind]} SET description = $2 WHERE code = $1", record.code,
                                 record.description)

    async def add_customer(self, customer: Customer) -> bool:
        return bool(await self._conn.fetchval(
            "INSERT INTO customers (no, name, service_zone_code) VALUES ($1, $2, $3) ON CONFLICT (no) DO NOTHING "
            "RETURNING true", customer.no, customer.name, customer.service_zone_code,
        ))

    async def get_customer(self, no: str, *, for_update: bool = False) -> Customer | None:
        row = await self._conn.fetchrow(
            f"SELECT no, name, service_zone_code FROM customers WHERE no = $1{' FOR UPDATE' if for_update else ''}", no
        )
        return Customer(row["no"], row["name"], row["service_zone_code"]) if row else None

    async def customers(self) -> list[Customer]:
        rows = await self._conn.fetch("SELECT no, name, service_zone_code FROM customers ORDER BY no")
        return [Customer(r["no"], r["name"], r["service_zone_code"]) for r in rows]

    async def update_customer(self, customer: Customer) -> None:
        await self._conn.execute("UPDATE customers SET name = $2, service_zone_code = $3 WHERE no = $1",
                                 customer.no, customer.name, customer.service_zone_code)

    async def add_skill(self, skill: ResourceSkill) -> bool:
        return bool(await self._conn.fetchval(
            "INSERT INTO resource_skills (type, no, skill_code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING true",
            str(skill.type), skill.no, skill.skill_code,
        ))

    async def remove_skill(self, skill: ResourceSkill) -> bool:
        return bool(await self._conn.fetchval(
            "DELETE FROM resource_skills WHERE type = $1 AND no = $2 AND skill_code = $3 RETURNING true",
            str(skill.type), skill.no, skill.skill_code,
        ))

    async def skills(self, type: ResourceSkillType | None = None, no: str | None = None) -> list[ResourceSkill]:
        rows = await self._conn.fetch(
            "SELECT type, no, skill_code FROM resource_skills WHERE ($1::text IS NULL OR type = $1) "
            "AND ($2::text IS NULL OR no = $2) ORDER BY type, no, skill_code",
            str(type) if type else None, no,
        )
        return [ResourceSkill(ResourceSkillType(r["type"]), r["no"], r["skill_code"]) for r in rows]

    async def add_service_order(self, order: ServiceOrder) -> bool:
        inserted = await self._conn.fetchval(
            "INSERT INTO service_orders (no, customer_no, order_date) VALUES ($1, $2, $3) "
            "ON CONFLICT (no) DO NOTHING RETURNING true", order.no, order.customer_no, order.order_date,
        )
        if inserted:
            await self._conn.executemany(
                "INSERT INTO service_order_lines (document_no, line_no, item_no, service_item_group_code, description, "
                "needed_date, hours_needed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                [(order.no, line.line_no, line.item_no, line.service_item_group_code, line.description, line.needed_date,
                  line.hours_needed) for line in order.lines],
            )
        return bool(inserted)

    async def get_service_order(self, no: str) -> ServiceOrder | None:
        found = await self._orders("WHERE no = $1", no)
        return found[0] if found else None

    async def service_orders_after(self, after: str, limit: int) -> list[ServiceOrder]:
        return await self._orders("WHERE no > $1 ORDER BY no LIMIT $2", after, limit)

    async def _orders(self, where: str, *args: Any) -> list[ServiceOrder]:
        headers = await self._conn.fetch(f"SELECT no, customer_no, order_date FROM service_orders {where}", *args)
        lines: dict[str, list[ServiceOrderLine]] = {h["no"]: [] for h in headers}
        for r in await self._conn.fetch(
            "SELECT * FROM service_order_lines WHERE document_no = ANY($1) ORDER BY document_no, line_no", list(lines),
        ):
            lines[r["document_no"]].append(ServiceOrderLine(
                line_no=r["line_no"], needed_date=r["needed_date"], hours_needed=r["hours_needed"], item_no=r["item_no"],
                service_item_group_code=r["service_item_group_code"], description=r["description"],
            ))
        return [ServiceOrder(h["no"], h["customer_no"], h["order_date"], tuple(lines[h["no"]])) for h in headers]

    async def lock_source_line(self, source_type: AllocationSourceType, source_no: str, source_line_no: int) -> None:
        # The two-key form keeps these locks apart from the one-key advisory locks (the migrations' lock).
        await self._conn.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))", LINE_LOCK_CLASS, f"{source_type}|{source_no}|{source_line_no}",
        )

    async def add_allocation(self, allocation: ResourceAllocation) -> ResourceAllocation:
        row = await self._conn.fetchrow(
            "INSERT INTO resource_allocations (source_type, source_no, source_line_no, parent_item_no, resource_no, "
            f"allocation_date, hours, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {_ALLOCATION}",
            str(allocation.source_type), allocation.source_no, allocation.source_line_no, allocation.parent_item_no,
            allocation.resource_no, allocation.allocation_date, allocation.hours, str(allocation.status),
        )
        return _to_allocation(row)

    async def get_allocation(self, entry_no: int, *, for_update: bool = False) -> ResourceAllocation | None:
        row = await self._conn.fetchrow(
            f"SELECT {_ALLOCATION} FROM resource_allocations WHERE entry_no = $1{' FOR UPDATE' if for_update else ''}",
            entry_no,
        )
        return _to_allocation(row) if row else None

    async def set_allocation_status(self, entry_no: int, status: AllocationStatus) -> None:
        await self._conn.execute("UPDATE resource_allocations SET status = $2 WHERE entry_no = $1", entry_no, str(status))

    async def allocations(self, *, resource_no: str | None = None, source_type: AllocationSourceType | None = None,
                          source_no: str | None = None, source_line_no: int | None = None,
                          status: AllocationStatus | None = None) -> list[ResourceAllocation]:
        rows = await self._conn.fetch(
            f"SELECT {_ALLOCATION} FROM resource_allocations WHERE ($1::text IS NULL OR resource_no = $1) "
            "AND ($2::text IS NULL OR source_type = $2) AND ($3::text IS NULL OR source_no = $3) "
            "AND ($4::int IS NULL OR source_line_no = $4) AND ($5::text IS NULL OR status = $5) ORDER BY entry_no",
            resource_no, str(source_type) if source_type else None, source_no, source_line_no,
            str(status) if status else None,
        )
        return [_to_allocation(r) for r in rows]

    async def allocated_hours(self, first: date, last: date,
                              resource_nos: Sequence[str] | None = None) -> dict[tuple[str, date], Decimal]:
        rows = await self._conn.fetch(
            "SELECT resource_no, allocation_date, sum(hours) AS hours FROM resource_allocations "
            "WHERE status = 'Active' AND allocation_date BETWEEN $1 AND $2 "
            "AND ($3::text[] IS NULL OR resource_no = ANY($3)) GROUP BY resource_no, allocation_date",
            first, last, list(resource_nos) if resource_nos is not None else None,
        )
        return {(r["resource_no"], r["allocation_date"]): r["hours"] for r in rows}


def _to_allocation(row: asyncpg.Record) -> ResourceAllocation:
    return ResourceAllocation(
        entry_no=row["entry_no"], source_type=AllocationSourceType(row["source_type"]), source_no=row["source_no"],
        source_line_no=row["source_line_no"], resource_no=row["resource_no"], allocation_date=row["allocation_date"],
        hours=row["hours"], status=AllocationStatus(row["status"]), parent_item_no=row["parent_item_no"],
    )
