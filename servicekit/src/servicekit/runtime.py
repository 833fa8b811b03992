"""A service process: HTTP API, consumers and outbox relay sharing one pool and one broker."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

import asyncpg
import uvicorn
import yaml
from asyncpg.exceptions import _base as asyncpg_client
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from inventory_contracts import Envelope, EventSpec

from . import idempotency, logs, problems, tracing
from .correlation import CorrelationMiddleware
from .api_docs import add_api_docs
from .auth import protect
from .db import create_pool
from .errors import ServiceError, problem
from .http_guard import RequestGuard, all_routes
from .inbox import Subscription, subscribe
from .logs import AccessLog
from .metrics import RequestDurationMiddleware, refresh
from .migrations import discover, migrate
from .outbox import OutboxRelay
from .settings import ServiceSettings
from .uow import UnitOfWork, reading, unit_of_work

SettingsKind = TypeVar("SettingsKind", bound=ServiceSettings)

Recovery = Callable[["ServiceRuntime", ServiceError], Awaitable[bool]]
"""Given a refusal of `post_once`'s action, make what was missing available (True: try the action again)."""

MAX_RECOVERIES = 20

log = logging.getLogger(__name__)


class ServiceRuntime:
    """Everything one service process owns. Built by the service's bootstrap, started by the HTTP lifespan."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        migrations_package: str,
        subscriptions: Sequence[Subscription] = (),
        publishes: Sequence[EventSpec] = (),
        version: str = "1.0.0",
        description: str = "",
        background: Sequence[Callable[["ServiceRuntime"], Awaitable[None]]] = (),
        unit_of_work: type[UnitOfWork] = UnitOfWork,
        recover: Recovery | None = None,
    ) -> None:
        self.settings = settings
        self._recover = recover
        tracing.configure(settings.service)
        self.unit_of_work_kind = unit_of_work
        self._background = background
        self.migrations_package = migrations_package
        self.broker = KafkaBroker(
            settings.kafka_bootstrap_servers,
            client_id=settings.service,
            enable_idempotence=True,
            acks="all",
            # Its own lines (a message received, processed) at DEBUG, through the service's JSON formatter.
            logger=logging.getLogger("faststream"),
            log_level=logging.DEBUG,
            security=settings.kafka.faststream_security(),
            allow_auto_create_topics=False,  # init creates them; a service's principal may not
        )
        for subscription in subscriptions:
            subscribe(self.broker, settings, subscription, lambda: self.pool, unit_of_work)
        for spec in publishes:
            self.broker.publisher(
                settings.topic(spec.topic),
                schema=Envelope[spec.payload],  # type: ignore[name-defined]
                title=f"{settings.service}:{spec.topic}:{spec.type}.v{spec.version}",
                description=(spec.payload.__doc__ or "").strip(),
            )
        self.specification = AsyncAPI(
            self.broker, title=f"inventory {settings.service}", version=version, description=description
        )
        self._pool: asyncpg.Pool | None = None
        self.relay = OutboxRelay(settings, self.broker)
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the service is not started")
        return self._pool

    def settings_as(self, kind: type[SettingsKind]) -> SettingsKind:
        """The settings as the service's own settings class, which its bootstrap built the runtime with."""
        if not isinstance(self.settings, kind):
            raise TypeError(f"the runtime's settings are {type(self.settings).__name__}, not {kind.__name__}")
        return self.settings

    def unit_of_work(self) -> AbstractAsyncContextManager[Any]:
        """A transaction on the service's database (the service's kind of unit of work), committed when the block ends."""
        return unit_of_work(self.pool, self.unit_of_work_kind)

    def reading(self) -> AbstractAsyncContextManager[Any]:
        """The service's kind of unit of work on a connection for reads, without a transaction."""
        return reading(self.pool, self.unit_of_work_kind)

    async def start(self) -> None:
        self._pool = await create_pool(self.settings.database_url)
        async with self._pool.acquire() as conn:
            applied = await migrate(conn, discover("servicekit", "servicekit") + discover(self.migrations_package))
        if applied:
            log.info("applied migrations: %s", ", ".join(applied))
        await self.broker.start()
        self._tasks = [asyncio.create_task(self.relay.run(), name="outbox-relay")]
        self._tasks += [asyncio.create_task(task(self), name=getattr(task, "__name__", "background")) for task in self._background]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.broker.stop()
        if self._pool is not None:
            await self._pool.close()
        tracing.shutdown()

    async def ready(self) -> dict[str, bool]:
        checks = {"database": False, "broker": False}
        try:
            async with self.pool.acquire(timeout=2) as conn:
                checks["database"] = await conn.fetchval("SELECT true")
        except Exception:
            pass
        try:
            checks["broker"] = await self.broker.ping(timeout=2)
        except Exception:
            pass
        return checks

    def asyncapi_yaml(self) -> str:
        # Keys sorted: FastStream's channel order varies with string hashing between processes.
        document = self.specification.to_specification().to_jsonable()
        return str(yaml.safe_dump(document, sort_keys=True, allow_unicode=True))

    async def post_once(
        self,
        request: Request,
        idempotency_key: str | None,
        body: BaseModel,
        action: Callable[[Any], Awaitable[tuple[int, BaseModel]]],
    ) -> JSONResponse:
        """Run `action` in one unit of work; with an Idempotency-Key, a repeat returns the first response.

        A refusal the service's `recover` can mend runs the action again, in a new unit of work (the refused one was
        rolled back whole), as long as each refusal is a new one: the same refusal twice is answered."""
        fingerprint = idempotency.request_hash(request.method, request.url.path, body.model_dump(mode="json"))
        mended: set[str] = set()
        while True:
            try:
                return await self._attempt(idempotency_key, fingerprint, action)
            except ServiceError as refusal:
                what = f"{refusal.slug} {sorted(refusal.extensions.items())!r}"
                if self._recover is None or what in mended or len(mended) == MAX_RECOVERIES:
                    raise
                mended.add(what)
                if not await self._recover(self, refusal):
                    raise

    async def _attempt(
        self, idempotency_key: str | None, fingerprint: str, action: Callable[[Any], Awaitable[tuple[int, BaseModel]]]
    ) -> JSONResponse:
        async with self.unit_of_work() as uow:
            conn = uow.conn
            if idempotency_key:
                await idempotency.lock_key(conn, idempotency_key)
                stored = await idempotency.stored_response(conn, idempotency_key, fingerprint)
                if stored is not None:
                    return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
            status_code, result = await action(uow)
            content = result.model_dump(mode="json")
            if idempotency_key:
                await idempotency.store_response(conn, idempotency_key, fingerprint, status_code, content)
        return JSONResponse(content, status_code=status_code)


def create_app(runtime: ServiceRuntime, routers: Sequence[APIRouter], title: str) -> FastAPI:
    """The service's FastAPI app. Its errors are ServiceError subclasses, answered as problem details by one handler."""
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    for router in routers:
        app.include_router(router)
    _add_operational_routes(app, runtime)
    problem_types = problems.collect(("servicekit", runtime.settings.service, runtime.migrations_package))
    app.include_router(problems.router(problem_types, runtime.settings.service))
    app.state.problem_types = problem_types
    _add_problem_handlers(app)
    add_api_docs(app)
    app.add_middleware(RequestGuard, max_body_bytes=runtime.settings.http_max_body_bytes)
    # Every operation needs a token with its scope; without AUTH_* settings the service does not start.
    protect(app, runtime.settings.service)
    # Outermost, so that every answer, a refused token's too, is timed, logged and carries the correlation id
    # (the instrumentation's server span wraps them all).
    app.add_middleware(RequestDurationMiddleware, routes=app.router.routes)
    app.add_middleware(AccessLog)
    app.add_middleware(CorrelationMiddleware)
    tracing.instrument_app(app)
    return app


def _add_operational_routes(app: FastAPI, runtime: ServiceRuntime) -> None:
    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        checks = await runtime.ready()
        ready = all(checks.values())
        return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> Response:
        consumers = [getattr(subscriber, "consumer", None) for subscriber in runtime.broker.subscribers]
        await refresh(runtime._pool, consumers, runtime.settings.consumer_group)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/asyncapi.yaml", tags=["operations"], response_class=PlainTextResponse)
    async def asyncapi() -> str:
        return runtime.asyncapi_yaml()


def _problem_response(request: Request, status: int, title: str, slug: str, detail: str, **ext: Any) -> JSONResponse:
    return JSONResponse(
        problem(status, title, slug, detail, str(request.url.path), **ext),
        status_code=status,
        media_type="application/problem+json",
    )


def _add_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        return _problem_response(request, exc.status, exc.title, exc.slug, exc.detail, **exc.extensions)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": list(map(str, err.get("loc", ()))), "message": err.get("msg", ""), "type": err.get("type", "")}
            for err in exc.errors()
        ]
        return _problem_response(
            request, 422, "Invalid request", "invalid-request", "The request does not match the schema.", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        response = _problem_response(request, exc.status_code, str(exc.detail), slug, str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return response

    # A value the database refuses (a number beyond its column, text it cannot hold) is the client's
    # input: 422, and the transaction it happened in is rolled back, so nothing is written.
    @app.exception_handler(asyncpg.DataError)
    @app.exception_handler(asyncpg_client.DataError)
    async def data_error(request: Request, exc: Exception) -> JSONResponse:
        log.info("refused input on %s: %s", request.url.path, exc)
        if isinstance(exc, asyncpg.UntranslatableCharacterError | asyncpg.CharacterNotInRepertoireError):
            return _problem_response(request, 422, "Invalid character", "invalid-character", "The request holds text that cannot be stored.")
        return _problem_response(
            request, 422, "Number out of range", "number-out-of-range", "A value of the request does not fit where it is stored."
        )

    # Unexpected exceptions are answered by RequestGuard: Starlette's handler for Exception re-raises
    # after answering, and the server then drops the keep-alive connection.


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of this path takes: one path is often served by several routes (GET and POST)."""
    methods: set[str] = set()
    scope = {**request.scope, "method": "__none__"}
    for route in all_routes(app.router.routes):
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def main(service: str, settings: Callable[[], SettingsKind], build_app: Callable[[SettingsKind], FastAPI]) -> None:
    """A service process. It logs JSON lines from its first line: settings or tokens it refuses are logged so too."""
    logs.configure(service)
    chosen = settings()
    serve(build_app(chosen), chosen)


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    logs.configure(settings.service, settings.log_level)
    # uvloop and httptools: the event loop and HTTP parser in C; each service's loop is mostly their work.
    # No log_config: uvicorn's loggers go through the JSON handler; AccessLog writes the access lines.
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None,
                log_level=settings.log_level.lower(), access_log=False, loop="uvloop", http="httptools")
