"""servicekit.auth without a network: settings, token checks, the key cache, and an app's routes behind tokens."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from devstack.issuer import DevIssuer
from servicekit.auth import (
    AuthConfigurationError,
    InvalidTokenError,
    KeySet,
    TokenVerifier,
    current_access_token,
    load_auth_settings,
    operations,
    protect,
    requires,
)


@pytest.fixture
def issuer(tmp_path: Path) -> DevIssuer:
    return DevIssuer(tmp_path / "auth")


def test_a_service_without_auth_settings_refuses_to_start() -> None:
    with pytest.raises(AuthConfigurationError, match="refuses to start without token verification"):
        load_auth_settings("catalog", {})
    with pytest.raises(AuthConfigurationError, match="exactly one"):
        load_auth_settings("catalog", {"AUTH_ISSUER": "i", "AUTH_AUDIENCE": "a", "AUTH_JWKS": "{}", "AUTH_JWKS_URL": "u"})


def test_symmetric_algorithms_cannot_be_configured(issuer: DevIssuer) -> None:
    with pytest.raises(AuthConfigurationError, match="asymmetric"):
        load_auth_settings("catalog", {**issuer.env(), "AUTH_ALGORITHMS": "ES256,HS256"})


async def test_a_token_of_the_issuer_is_accepted_with_its_scopes_and_a_tampered_one_is_not(issuer: DevIssuer) -> None:
    verifier = TokenVerifier(load_auth_settings("costing", issuer.env(inline=True)))
    token = issuer.token(["costing:read"], subject="someone")
    access = await verifier.verify(token)
    assert (access.subject, access.scopes) == ("someone", frozenset({"costing:read"}))
    header, payload, signature = token.split(".")
    with pytest.raises(InvalidTokenError):
        await verifier.verify(f"{header}.{payload}.{signature[:-4]}AAAA")


async def test_an_unknown_kid_reloads_the_keys_at_most_once_per_interval() -> None:
    loads: list[int] = []

    async def load() -> dict[str, Any]:
        loads.append(1)
        return {"keys": [{"kty": "EC", "kid": "a"}]}

    keys = KeySet(load, "test", min_refresh_seconds=60)
    assert await keys.key("a") is not None
    for kid in ("b", "c", "d"):
        assert await keys.key(kid) is None
    assert len(loads) == 1


class Body(BaseModel):
    n: int


def app_with(issuer: DevIssuer, router: APIRouter) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    protect(app, "test", load_auth_settings("test", issuer.env()))
    return app


def test_an_operation_without_a_declared_scope_stops_the_start(issuer: DevIssuer) -> None:
    router = APIRouter()

    @router.get("/undeclared")
    async def undeclared() -> None: ...

    with pytest.raises(AuthConfigurationError, match="/undeclared"):
        app_with(issuer, router)


async def test_the_token_is_checked_before_the_body_and_the_scope_after_the_token(issuer: DevIssuer) -> None:
    router = APIRouter()

    @router.post("/things", dependencies=[requires("catalog:write")])
    async def create(body: Body) -> Body:
        return body

    transport = httpx.ASGITransport(app=app_with(issuer, router))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        missing = await client.post("/things", content=b"{broken")
        assert (missing.status_code, missing.headers["www-authenticate"]) == (401, 'Bearer realm="test"')
        reader = {"Authorization": f"Bearer {issuer.token(['catalog:read'])}"}
        refused = await client.post("/things", content=b"{broken", headers=reader)
        assert refused.status_code == 403
        assert refused.headers["www-authenticate"].endswith('error="insufficient_scope", '
                                                            'error_description="this operation needs the scope '
                                                            'catalog:write", scope="catalog:write"')
        writer = {"Authorization": f"Bearer {issuer.token(['catalog:write'])}"}
        assert (await client.post("/things", content=b"{broken", headers=writer)).status_code == 422
        assert (await client.post("/things", json={"n": 1}, headers=writer)).json() == {"n": 1}


async def test_a_caller_inside_the_process_hands_over_its_access_and_needs_the_operations_scope(issuer: DevIssuer) -> None:
    from servicekit.auth import TRUSTED_ACCESS, AccessToken

    router = APIRouter()

    @router.post("/things", dependencies=[requires("catalog:write")])
    async def create(body: Body) -> Body:
        return body

    app = app_with(issuer, router)

    def as_caller(scopes: set[str]) -> Any:
        access = AccessToken("inside", "inside", frozenset(scopes), {})

        async def call(scope: Any, receive: Any, send: Any) -> None:
            await app({**scope, TRUSTED_ACCESS: access}, receive, send)
        return call

    for scopes, status in (({"catalog:write"}, 200), ({"catalog:read"}, 403)):
        transport = httpx.ASGITransport(app=as_caller(scopes))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.post("/things", json={"n": 1})).status_code == status
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.post("/things", json={"n": 1})).status_code == 401

async def test_a_route_reads_the_verified_claims_of_its_request_and_none_outside(issuer: DevIssuer) -> None:
    router = APIRouter()

    @router.get("/mine", dependencies=[requires("inventory:read")])
    async def mine() -> dict[str, str | None]:
        access = current_access_token()
        assert access is not None
        return {"center": access.string_claim("responsibility_center")}

    transport = httpx.ASGITransport(app=app_with(issuer, router))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        tied = {"Authorization": f"Bearer {issuer.token(['inventory:read'], responsibility_center='EAST')}"}
        assert (await client.get("/mine", headers=tied)).json() == {"center": "EAST"}
        untied = {"Authorization": f"Bearer {issuer.token(['inventory:read'])}"}
        assert (await client.get("/mine", headers=untied)).json() == {"center": None}
        forged = issuer.sign({**issuer.claims(["inventory:read"]), "responsibility_center": ["EAST", "WEST"]})
        refused = await client.get("/mine", headers={"Authorization": f"Bearer {forged}"})
        assert refused.status_code == 401 and refused.json()["type"] == "/problems/invalid-token"
    assert current_access_token() is None


def nested_app(issuer: DevIssuer) -> FastAPI:
    """/things (catalog:write) two routers deep, and /center with its scope declared where its router is included."""
    outer, inner, centers = APIRouter(), APIRouter(), APIRouter()

    @inner.post("/things/{no}", dependencies=[requires("catalog:write")])
    async def create(no: int, body: Body) -> Body:
        return body

    @centers.get("/center")
    async def center() -> dict[str, str]:
        return {"center": "MAIN"}

    outer.include_router(inner, prefix="/inner")
    outer.include_router(centers, dependencies=[requires("inventory:read")])
    app = FastAPI()
    app.include_router(outer, prefix="/outer")
    protect(app, "test", load_auth_settings("test", issuer.env()))
    return app


async def test_routes_of_nested_routers_are_guarded_before_their_body_is_read(issuer: DevIssuer) -> None:
    app = nested_app(issuer)
    reads: list[str] = []

    def request(path: str, method: str, token: str | None = None) -> dict[str, Any]:
        headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
        return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
                "raw_path": path.encode(), "root_path": "", "scheme": "http", "query_string": b"",
                "headers": [(b"content-type", b"application/json"), *headers], "client": ("test", 1),
                "server": ("test", 80)}

    async def call(scope: dict[str, Any]) -> int:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            reads.append(scope["path"])
            return {"type": "http.request", "body": b'{"n": 1}', "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))

    assert await call(request("/outer/inner/things/7", "POST")) == 401
    assert await call(request("/outer/inner/things/7", "POST", issuer.token(["catalog:read"]))) == 403
    assert await call(request("/outer/center", "GET", issuer.token(["catalog:write"]))) == 403
    assert reads == []
    assert await call(request("/outer/inner/things/7", "POST", issuer.token(["catalog:write"]))) == 200
    assert await call(request("/outer/center", "GET", issuer.token(["inventory:read"]))) == 200
    assert reads == ["/outer/inner/things/7"]


def test_the_openapi_security_of_each_nested_operation_is_the_scope_the_guard_checks(issuer: DevIssuer) -> None:
    app = nested_app(issuer)
    paths = app.openapi()["paths"]
    documented = {(path, method.upper()): {s for requirement in operation["security"] for s in requirement.get("oauth2", [])}
                  for path, methods in paths.items() for method, operation in methods.items()}
    guarded = {(o.path, method): set(o.scopes or ()) for o in operations(app.router.routes)
               for method in o.route.methods or () if o.route.include_in_schema}
    assert documented == guarded == {("/outer/inner/things/{no}", "POST"): {"catalog:write"},
                                     ("/outer/center", "GET"): {"inventory:read"}}
