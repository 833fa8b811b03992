"""OAuth 2.0 bearer access tokens (JWT, RFC 9068 profile) and a scope on every API operation.

A route declares its scope beside its decorator: `@router.post(..., dependencies=[requires("catalog:write")])`.
`protect(app, ...)` (called by `create_app`) then checks the token of every request before the route
reads or validates its body, so a request without a token gets 401 and never 422. Errors are problem
details with the `WWW-Authenticate` challenge of RFC 6750.

Configured from the environment: `AUTH_ISSUER`, `AUTH_AUDIENCE` and one of `AUTH_JWKS_FILE`,
`AUTH_JWKS_URL` or `AUTH_JWKS` (the JWKS document itself, for containers that cannot see a file).
A service without them refuses to start: there is no open mode.
"""

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from fastapi import Depends, FastAPI, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.params import Depends as DependsParam
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer, OAuth2
from pydantic import BaseModel, ConfigDict
from starlette.routing import Match, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ServiceError, problem

log = logging.getLogger(__name__)

SCOPES: dict[str, str] = {
    "catalog:read": "Read item cards and the catalog's master data.",
    "catalog:write": "Create, change and delete item cards and the catalog's master data.",
    "inventory:read": "Read item ledger entries, quantities, locations, documents and the inventory setup.",
    "inventory:post": "Post item journals and documents; locations, bins, reservations, transfers and counts.",
    "inventory:admin": "Change the inventory setup; close and reopen inventory periods.",
    "costing:read": "Read value entries, valuations and item costs.",
    "costing:write": "Assign item charges, revalue inventory and implement standard costs (standard cost worksheets).",
    "ledger:read": "Read G/L accounts, posting setup, G/L entries, trial balance and reconciliation.",
    "ledger:admin": "Change the chart of accounts, posting setup and closed periods (gl-setup).",
    "webhooks:read": "Read webhook subscriptions and their delivery log.",
    "webhooks:admin": "Create, change and delete webhook subscriptions; send a delivery again.",
}

# Operational and documentation paths stay open: probes, scrapers and readers of the API's description.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/asyncapi.yaml", "/problems/{slug}"})

# Asymmetric only: an HS* token could be signed with the public key bytes (the classic key-confusion
# forgery), and `none` is not a signature at all.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
_KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
# RFC 9068 section 2.2: the claims every access token carries.
REQUIRED_CLAIMS = ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")

# Both describe the one bearer token: `oauth2` carries the scopes into the OpenAPI document, `bearer`
# lets a developer paste a token into /docs.
oauth2 = OAuth2(
    flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl="/token", scopes=SCOPES)),
    scheme_name="oauth2",
    description="An RFC 9068 access token from the configured issuer; each operation names the scope it needs.",
    auto_error=False,
)
bearer = HTTPBearer(bearerFormat="JWT", scheme_name="bearer", auto_error=False)


class AuthConfigurationError(RuntimeError):
    """The service has no (or no usable) token verification configured; it must not start."""


class AuthSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    issuer: str
    audience: str
    jwks_file: str | None = None
    jwks_url: str | None = None
    jwks: str | None = None
    token_url: str | None = None
    leeway_seconds: float = 30
    algorithms: tuple[str, ...] = ALGORITHMS


def load_auth_settings(service: str, env: Mapping[str, str] = os.environ) -> AuthSettings:
    """`AUTH_*` from the environment; missing, a clear error instead of a service anyone may call."""
    issuer, audience = env.get("AUTH_ISSUER", ""), env.get("AUTH_AUDIENCE", "")
    sources = {name: env.get(name) or None for name in ("AUTH_JWKS_FILE", "AUTH_JWKS_URL", "AUTH_JWKS")}
    given = [name for name, value in sources.items() if value]
    if not issuer or not audience or len(given) != 1:
        raise AuthConfigurationError(
            f"{service} refuses to start without token verification: set AUTH_ISSUER, AUTH_AUDIENCE and exactly "
            f"one of AUTH_JWKS_FILE, AUTH_JWKS_URL or AUTH_JWKS (given: {', '.join(given) or 'none'}). "
            "For a local stack, `devstack up` sets them."
        )
    algorithms = tuple(a.strip() for a in env.get("AUTH_ALGORITHMS", ",".join(ALGORITHMS)).split(",") if a.strip())
    refused = [a for a in algorithms if a not in ALGORITHMS]
    if refused or not algorithms:
        raise AuthConfigurationError(f"AUTH_ALGORITHMS may name only asymmetric algorithms {ALGORITHMS}; refused: {refused}")
    return AuthSettings(
        issuer=issuer,
        audience=audience,
        jwks_file=sources["AUTH_JWKS_FILE"],
        jwks_url=sources["AUTH_JWKS_URL"],
        jwks=sources["AUTH_JWKS"],
        token_url=env.get("AUTH_TOKEN_URL") or None,
        leeway_seconds=float(env.get("AUTH_LEEWAY_SECONDS", "30")),
        algorithms=algorithms,
    )


# errors ------------------------------------------------------------------------------------------


class AuthError(ServiceError):
    """401 or 403 with an RFC 6750 challenge; `error` is the challenge's error code (none when no token came)."""

    status, slug, title = 401, "unauthorized", "Unauthorized"
    error: str | None = None

    def challenge(self, realm: str) -> str:
        parts = [f'realm="{_quotable(realm)}"']
        if self.error:
            parts += [f'error="{self.error}"', f'error_description="{_quotable(self.detail)}"']
        parts += [f'scope="{_quotable(scope)}"' for scope in [self.extensions.get("required_scope")] if scope]
        return "Bearer " + ", ".join(parts)


class MissingTokenError(AuthError):
    """The request carried no access token. Every operation (but health, readiness, metrics and these pages) needs
    an OAuth 2.0 bearer token from the deployment's issuer in the `Authorization: Bearer <token>` header."""

    status, slug, title = 401, "authentication-required", "Authentication required"


class InvalidTokenError(AuthError):
    """The access token was refused: expired, not yet valid, from another issuer or for another audience, not signed
    by one of the issuer's keys, not an RFC 9068 access token (`typ` at+jwt), or missing a required claim. Get a new
    token from the issuer."""

    status, slug, title, error = 401, "invalid-token", "Invalid access token", "invalid_token"


class InsufficientScopeError(AuthError):
    """The access token is valid but lacks the scope this operation needs (named in the `WWW-Authenticate` header's
    `scope`); ask the issuer for a token with it."""

    status, slug, title, error = 403, "insufficient-scope", "Insufficient scope", "insufficient_scope"


class KeySetUnavailableError(ServiceError):
    """The service could not read its issuer's keys to check the token; retry shortly."""

    status, slug, title = 503, "unavailable", "Service unavailable"


def _quotable(text: str) -> str:
    # RFC 6750 section 3: no '"' or '\' inside the quoted attributes, printable ASCII only.
    return re.sub(r'[^\x20-\x21\x23-\x5b\x5d-\x7e]', "'", text)


# keys --------------------------------------------------------------------------------------------


class KeySet:
    """The issuer's public keys, cached; an unknown `kid` reloads them, at most once per `min_refresh_seconds`
    (so tokens naming random kids cannot make us hammer the issuer), and they are reloaded after `max_age_seconds`."""

    def __init__(
        self, load: Callable[[], Awaitable[dict[str, Any]]], source: str,
        min_refresh_seconds: float = 30, max_age_seconds: float = 3600,
    ) -> None:
        self._load = load
        self.source = source
        self._keys: list[dict[str, Any]] | None = None
        self._loaded_at = float("-inf")
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> "KeySet":
        """Keys from the URL (fetched on first use), or the file or variable (read now: a bad one stops the start)."""
        if settings.jwks_url:
            url = settings.jwks_url

            async def fetch() -> dict[str, Any]:
                async with httpx.AsyncClient(timeout=5) as client:
                    response = await client.get(url)
                    response.raise_for_status()
                    return dict(response.json())

            return cls(fetch, url)
        source = settings.jwks_file or "AUTH_JWKS"

        def read() -> dict[str, Any]:
            text = Path(settings.jwks_file).read_text() if settings.jwks_file else settings.jwks or ""
            return dict(json.loads(text))

        async def reread() -> dict[str, Any]:
            return read()

        keys = cls(reread, source)
        try:
            keys._set(read())
        except (OSError, ValueError) as exc:
            raise AuthConfigurationError(f"{source} is not a readable JWKS: {exc}") from exc
        return keys

    def _set(self, document: dict[str, Any]) -> None:
        keys = document.get("keys")
        if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
            raise AuthConfigurationError(f"{self.source} is not a JWKS (an object with a list of keys)")
        self._keys = [k for k in keys if k.get("use", "sig") == "sig"]
        self._loaded_at = time.monotonic()

    def _find(self, kid: str | None) -> dict[str, Any] | None:
        keys = self._keys or []
        if kid is None:
            return keys[0] if len(keys) == 1 else None
        return next((k for k in keys if k.get("kid") == kid), None)

    async def key(self, kid: str | None) -> dict[str, Any] | None:
        now = time.monotonic()
        found = self._find(kid) if self._keys is not None else None
        if found is not None and now - self._loaded_at < self._max_age:
            return found
        async with self._lock:
            if self._keys is None or now - self._loaded_at >= self._min_refresh:
                try:
                    self._set(await self._load())
                except Exception as exc:
                    if self._keys is None:
                        raise KeySetUnavailableError(f"the issuer's keys could not be read from {self.source}") from exc
                    log.warning("keeping the cached keys: reloading %s failed: %s", self.source, exc)
                    self._loaded_at = now
        return self._find(kid)


# tokens ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessToken:
    subject: str
    client_id: str
    scopes: frozenset[str]
    claims: dict[str, Any] = field(repr=False)

    def string_claim(self, name: str) -> str | None:
        """A verified claim that must be a string when present (None: absent)."""
        value = self.claims.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidTokenError(f"the claim {name} must be a string")
        return value


_current: contextvars.ContextVar[AccessToken | None] = contextvars.ContextVar("access_token", default=None)


def current_access_token() -> AccessToken | None:
    """The verified token of the request being handled (None outside a request, e.g. in a consumer), so a use case
    can apply what its claims restrict without every route passing them down."""
    return _current.get()


@contextlib.contextmanager
def acting_with(access: AccessToken | None) -> Iterator[None]:
    """`current_access_token()` is `access` inside the block (the guard's doing for each request)."""
    token = _current.set(access)
    try:
        yield
    finally:
        _current.reset(token)


class TokenVerifier:
    def __init__(self, settings: AuthSettings, keys: KeySet | None = None) -> None:
        self.settings = settings
        self.keys = keys or KeySet.from_settings(settings)

    async def verify(self, token: str) -> AccessToken:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(f"the token is not a JWT: {exc}") from exc
        alg = header.get("alg")
        if alg not in self.settings.algorithms:
            raise InvalidTokenError(f"algorithm {alg!r} is not accepted")
        if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
            raise InvalidTokenError("the token is not an access token (typ must be at+jwt)")
        jwk = await self.keys.key(header.get("kid"))
        if jwk is None:
            raise InvalidTokenError("the token is signed by an unknown key")
        if jwk.get("alg", alg) != alg or jwk.get("kty") != _KEY_TYPES[alg[:2]]:
            raise InvalidTokenError(f"the key {header.get('kid')!r} does not sign with {alg}")
        try:
            claims = jwt.decode(
                token,
                jwt.PyJWK(jwk, algorithm=alg),
                algorithms=[alg],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidTokenError("the token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidTokenError("the token is not meant for this audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidTokenError("the token is from another issuer") from exc
        except jwt.InvalidSignatureError as exc:
            raise InvalidTokenError("the token's signature does not verify") from exc
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(f"the token is not valid: {exc}") from exc
        scope = claims.get("scope", "")
        if not isinstance(scope, str) or not isinstance(claims["sub"], str) or not isinstance(claims["client_id"], str):
            raise InvalidTokenError("scope, sub and client_id must be strings")
        return AccessToken(claims["sub"], claims["client_id"], frozenset(scope.split()), claims)


# routes ------------------------------------------------------------------------------------------


def requires(*scopes: str) -> DependsParam:
    """The scopes an operation needs, for its decorator's `dependencies=[...]`; the checked token is the result."""
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown scopes {unknown}: declare them in servicekit.auth.SCOPES")

    async def access_token(
        request: Request,
        _oauth2: str | None = Security(oauth2, scopes=list(scopes)),
        _bearer: Any = Security(bearer),
    ) -> AsyncIterator[AccessToken]:
        # The guard has checked the token before the body was read; without it (an app not built by
        # create_app, or a route the guard does not find), check here.
        checked = getattr(request.state, "access_token", None)
        if isinstance(checked, AccessToken):
            yield checked
            return
        access = trusted_access(request.scope, scopes) or await authorize(
            request.app.state.token_verifier, request.headers.get("authorization"), scopes
        )
        request.state.access_token = access
        with acting_with(access):
            yield access

    access_token.required_scopes = scopes  # type: ignore[attr-defined]
    dependency: DependsParam = Depends(access_token)
    return dependency


async def authorize(verifier: TokenVerifier, authorization: str | None, scopes: Iterable[str]) -> AccessToken:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        raise MissingTokenError("this operation needs a bearer access token (Authorization: Bearer <token>)")
    if not token.strip():
        raise InvalidTokenError("the Authorization header carries no token")
    access = await verifier.verify(token.strip())
    missing = [scope for scope in scopes if scope not in access.scopes]
    if missing:
        raise InsufficientScopeError(
            f"this operation needs the scope {' '.join(missing)}", required_scope=" ".join(missing)
        )
    return access


def required_scopes(route: APIRoute) -> tuple[str, ...] | None:
    """The scopes `requires` declared on the route (None: it declares none)."""
    stack, found = [route.dependant], None
    while stack:
        dependant = stack.pop()
        declared = getattr(dependant.call, "required_scopes", None)
        if declared is not None:
            found = (*(found or ()), *declared)
        stack += dependant.dependencies
    return found


@dataclass(frozen=True)
class Operation:
    """An API route as the app serves it: its full path (every including router's prefix before its own), its
    methods, and the scopes declared on it and where its routers were included."""

    route: APIRoute
    path: str
    scopes: tuple[str, ...] | None
    path_regex: re.Pattern[str]

    def matches(self, path: str, method: str) -> Match:
        if not self.path_regex.match(path):
            return Match.NONE
        return Match.FULL if method in (self.route.methods or ()) else Match.PARTIAL


def _declared(dependencies: Iterable[Any]) -> tuple[str, ...] | None:
    found: tuple[str, ...] | None = None
    for dependency in dependencies:
        declared = getattr(getattr(dependency, "dependency", None), "required_scopes", None)
        if declared is not None:
            found = (*(found or ()), *declared)
    return found


def operations(routes: Iterable[Any], prefix: str = "", included: tuple[Any, ...] = ()) -> Iterator[Operation]:
    """Every API route below `routes`, in the order routing tries them. A router included with `include_router`
    stands as one route holding its original router and the include's prefix and dependencies, at any depth."""
    for route in routes:
        if isinstance(route, APIRoute):
            scopes = [s for s in (_declared(included), required_scopes(route)) if s is not None]
            path = prefix + route.path
            yield Operation(route, path, tuple(n for s in scopes for n in s) if scopes else None,
                            compile_path(path)[0])
            continue
        router, context = getattr(route, "original_router", None), getattr(route, "include_context", None)
        if router is not None and context is not None:
            yield from operations(router.routes, prefix + context.prefix, (*included, *context.dependencies))


TRUSTED_ACCESS = "inventory.trusted_access"
"""ASGI scope key under which a caller inside the process hands over its AccessToken (a posting request consumed
from Kafka): the server builds the scope of every network request, so no request from outside can carry it."""


def trusted_access(scope: Scope, scopes: Iterable[str]) -> AccessToken | None:
    """The access a caller inside the process handed over, when it has `scopes` (None: no such caller)."""
    trusted = scope.get(TRUSTED_ACCESS)
    if not isinstance(trusted, AccessToken):
        return None
    missing = [name for name in scopes if name not in trusted.scopes]
    if missing:
        raise InsufficientScopeError(f"this operation needs the scope {' '.join(missing)}", required_scope=" ".join(missing))
    return trusted


class TokenGuard:
    """ASGI middleware: finds the operation a request is for and checks its token and scopes first, so that
    nothing of an unauthenticated request (body, parameters) is parsed or validated."""

    def __init__(self, app: ASGIApp, *, fastapi: FastAPI, realm: str) -> None:
        self.app = app
        self.fastapi = fastapi
        self.realm = realm
        self._operations: list[Operation] | None = None  # read on the first request, once every route is added

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        scopes = self._operation_scopes(scope)
        if scopes is None:  # documentation pages, or no operation: routing answers (404, 405)
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            request.state.access_token = access = trusted_access(scope, scopes) or await authorize(
                self.fastapi.state.token_verifier, request.headers.get("authorization"), scopes
            )
        except ServiceError as exc:
            await error_response(request, exc, self.realm)(scope, receive, send)
            return
        with acting_with(access):
            await self.app(scope, receive, send)

    def _operation_scopes(self, scope: Scope) -> tuple[str, ...] | None:
        if self._operations is None:
            self._operations = list(operations(self.fastapi.router.routes))
        root_path = scope.get("root_path", "")
        path = scope["path"].removeprefix(root_path) if root_path else scope["path"]
        for operation in self._operations:
            if operation.matches(path, scope["method"]) == Match.FULL:
                if operation.path in OPEN_PATHS:
                    return None
                # Fail closed: an operation that declares no scope still needs a valid token.
                return operation.scopes or ()
        return None


def error_response(request: Request, exc: ServiceError, realm: str) -> JSONResponse:
    headers = {"WWW-Authenticate": exc.challenge(realm)} if isinstance(exc, AuthError) else {}
    return JSONResponse(
        problem(exc.status, exc.title, exc.slug, exc.detail, str(request.url.path), **exc.extensions),
        status_code=exc.status,
        media_type="application/problem+json",
        headers=headers,
    )


def protect(app: FastAPI, realm: str, settings: AuthSettings | None = None) -> None:
    """Every operation of `app` behind a token: refuses to start without auth settings or with an operation
    (other than OPEN_PATHS) that declares no scope."""
    settings = settings or load_auth_settings(realm)
    app.state.token_verifier = TokenVerifier(settings)
    flows = oauth2.model.flows  # type: ignore[attr-defined]
    flows.clientCredentials.tokenUrl = settings.token_url or f"{settings.issuer.rstrip('/')}/token"
    undeclared = [f"{sorted(o.route.methods or ())} {o.path}" for o in operations(app.router.routes)
                  if o.path not in OPEN_PATHS and not o.scopes]
    if undeclared:
        raise AuthConfigurationError(f"operations without a declared scope (add requires(...)): {', '.join(undeclared)}")

    async def auth_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AuthError)
        return error_response(request, exc, realm)

    app.add_exception_handler(AuthError, auth_error)
    app.add_middleware(TokenGuard, fastapi=app, realm=realm)


class BearerAuth(httpx.Auth):
    """A client's own token for calling another service: `token`, or `token_file` read on every request so that
    an agent outside the process can keep it fresh."""

    def __init__(self, token: str | None = None, token_file: str | None = None) -> None:
        self.token = token
        self.token_file = token_file

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = Path(self.token_file).read_text().strip() if self.token_file else self.token
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        yield request
