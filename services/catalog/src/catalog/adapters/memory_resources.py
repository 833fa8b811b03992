"""In-memory fakes of the resource repositories, with the semantics of the PostgreSQL adapters."""

from dataclasses import dataclass, field

from catalog.domain.resources import Resource


@dataclass
class ResourceTables:
    resources: dict[str, Resource] = field(default_factory=dict)


class InMemoryResourceRepository:
    def __init__(self, tables: ResourceTables) -> None:
        self._tables = tables

    async def add(self, resource: Resource) -> bool:
        if resource.no in self._tables.resources:
            return False
        self._tables.resources[resource.no] = resource
        return True

    async def get(self, no: str, *, for_update: bool = False) -> Resource | None:
        return self._tables.resources.get(no)

    async def update(self, resource: Resource) -> None:
        self._tables.resources[resource.no] = resource

    async def list_after(self, after: str, limit: int) -> list[Resource]:
        return [self._tables.resources[no] for no in sorted(self._tables.resources) if no > after][:limit]
