"""The catalog's HTTP API: one router per resource. A route parses, calls one use case, maps the result."""

from fastapi import APIRouter

from catalog.entrypoints.routes import (
    assembly,
    attributes,
    categories,
    items,
    master_data,
    nonstock,
    references,
    resource_allocation,
    resources,
)

ROUTERS: list[APIRouter] = [
    items.router, references.router, master_data.router, categories.router, attributes.router, nonstock.router,
    resources.router, resource_allocation.router, assembly.router,
]
