"""What a route module needs from the running service, as FastAPI dependencies.

A service's routes live in one module per resource, each with a module-level `APIRouter`; a route
takes `runtime: Runtime` and opens the service's unit of work on it (`runtime.unit_of_work()`, or
`runtime.reading()` for reads, `runtime.post_once(...)` for an idempotent posting).
"""

from typing import Annotated

from fastapi import Depends, Request

from .runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
