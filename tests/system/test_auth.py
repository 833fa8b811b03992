"""Every operation of every service, as its own OpenAPI document lists it, refuses a request without a valid token
(401) or without its scope (403); operational endpoints stay open; a token without ledger:admin cannot reopen a
closed G/L period."""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devstack.issuer import DevIssuer
from devstack.stack import SERVICES
from servicekit.auth import SCOPES
from support import System

pytestmark = pytest.mark.system

BAD_TOKENS = ("expired", "wrong issuer", "wrong audience", "bad signature", "alg none", "HS256 with the public key",
              "typ JWT, not at+jwt", "no sub", "not a JWT")
APIS = (*SERVICES, "webhooks")
OPEN = ["/healthz", "/readyz", "/metrics", "/asyncapi.yaml", "/docs", "/openapi.json", "/problems/{slug}"]


def operations(system: System, service: str) -> list[tuple[str, str, list[str]]]:
    """(method, path with dummy parameters, declared scopes) of every operation in the service's OpenAPI document."""
    document = system.http.get(system.url(service, "/openapi.json")).json()
    found = []
    for path, methods in document["paths"].items():
        if path in OPEN:
            continue
        for method, operation in methods.items():
            declared = [scope for requirement in operation.get("security", []) for scope in requirement.get("oauth2", [])]
            found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path), declared))
    return found


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def bad_tokens(issuer: DevIssuer) -> dict[str, Callable[[], str]]:
    """Tokens that must get 401, each wrong in one way."""
    other_key = ec.generate_private_key(ec.SECP256R1())
    public_pem = issuer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"typ": "at+jwt", "kid": issuer.kid}
    tokens: dict[str, Callable[[], str]] = {
        "expired": lambda: issuer.sign({**issuer.claims(ttl=-3600), "iat": issuer.claims()["iat"] - 7200}),
        "wrong issuer": lambda: issuer.sign({**issuer.claims(), "iss": "https://someone-else.example"}),
        "wrong audience": lambda: issuer.sign({**issuer.claims(), "aud": "another-api"}),
        "bad signature": lambda: jwt.encode(issuer.claims(), other_key, algorithm="ES256", headers=header),
        "alg none": lambda: f"{_b64({'alg': 'none', **header})}.{_b64(issuer.claims())}.",
        "HS256 with the public key": lambda: _hs256(issuer.claims(), public_pem, header),
        "typ JWT, not at+jwt": lambda: issuer.sign(issuer.claims(), headers={"typ": "JWT"}),
        "no sub": lambda: issuer.sign({k: v for k, v in issuer.claims().items() if k != "sub"}),
        "not a JWT": lambda: "not-a-jwt",
    }
    assert tuple(tokens) == BAD_TOKENS
    return tokens


def _hs256(claims: dict[str, Any], secret: bytes, header: dict[str, Any]) -> str:
    # PyJWT refuses a PEM as an HMAC secret; sign by hand, as an attacker would.
    signing_input = f"{_b64({'alg': 'HS256', **header})}.{_b64(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def call(system: System, service: str, method: str, path: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    with httpx.Client(timeout=30) as anonymous:
        # A body that would be refused as 422: the token must be checked first.
        content = b"{not json" if method in ("POST", "PUT", "PATCH") else None
        return anonymous.request(method, system.url(service, path), headers=headers, content=content,
                                 params={"limit": "x"})


@pytest.mark.parametrize("service", APIS)
def test_every_operation_declares_one_of_the_services_scopes_in_openapi(system: System, service: str) -> None:
    document = system.http.get(system.url(service, "/openapi.json")).json()
    assert set(document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["scopes"]) == set(SCOPES)
    found = operations(system, service)
    assert len(found) > 5
    prefix = {"catalog": "catalog:", "warehouse": "inventory:", "costing": "costing:", "ledger": "ledger:",
              "webhooks": "webhooks:"}[service]
    undeclared = [(m, p, s) for m, p, s in found if len(s) != 1 or not s[0].startswith(prefix)]
    assert undeclared == []


@pytest.mark.parametrize("service", APIS)
def test_every_operation_without_a_token_gets_401_with_a_challenge_and_problem_details(system: System, service: str) -> None:
    wrong = []
    for method, path, _ in operations(system, service):
        response = call(system, service, method, path, None)
        challenge = response.headers.get("www-authenticate", "")
        if (response.status_code != 401 or not challenge.startswith("Bearer realm=") or "error=" in challenge
                or response.headers["content-type"] != "application/problem+json"):
            wrong.append((method, path, response.status_code, challenge))
    assert wrong == []


@pytest.mark.parametrize("case", BAD_TOKENS)
@pytest.mark.parametrize("service", APIS)
def test_every_operation_with_an_invalid_token_gets_401_invalid_token(system: System, service: str, case: str) -> None:
    token = bad_tokens(system.stack.issuer)[case]()
    wrong = []
    for method, path, _ in operations(system, service):
        response = call(system, service, method, path, token)
        challenge = response.headers.get("www-authenticate", "")
        if (response.status_code != 401 or 'error="invalid_token"' not in challenge
                or response.json().get("status") != 401):
            wrong.append((method, path, response.status_code, challenge))
    assert wrong == []


@pytest.mark.parametrize("service", APIS)
def test_every_operation_with_a_token_without_its_scope_gets_403_insufficient_scope(system: System, service: str) -> None:
    wrong = []
    for method, path, declared in operations(system, service):
        token = system.stack.issuer.token([scope for scope in SCOPES if scope not in declared])
        response = call(system, service, method, path, token)
        challenge = response.headers.get("www-authenticate", "")
        if (response.status_code != 403 or 'error="insufficient_scope"' not in challenge
                or f'scope="{declared[0]}"' not in challenge or response.json().get("status") != 403):
            wrong.append((method, path, response.status_code, challenge))
    assert wrong == []


@pytest.mark.parametrize("service", APIS)
def test_health_readiness_metrics_and_documents_are_open(system: System, service: str) -> None:
    paths = [path.replace("{slug}", "internal") for path in OPEN]
    with httpx.Client(timeout=30) as anonymous:
        assert {path: anonymous.get(system.url(service, path)).status_code for path in paths} == dict.fromkeys(paths, 200)


def test_a_token_without_ledger_admin_cannot_reopen_a_closed_gl_period_and_one_with_it_can(system: System) -> None:
    url = system.url("ledger", "/gl-setup")
    before = system.http.get(url).json()["closed_through"]
    closed = system.http.put(url, json={"closed_through": "2020-12-31"})
    assert closed.status_code == 200, closed.text
    try:
        reader = system.stack.issuer.token(["ledger:read", "costing:read", "inventory:post"])
        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {reader}"}) as http:
            refused = http.put(url, json={"closed_through": None})
            assert refused.status_code == 403, refused.text
            assert refused.headers["www-authenticate"].endswith('scope="ledger:admin"')
            assert refused.headers["content-type"] == "application/problem+json"
            assert http.get(url).json()["closed_through"] == "2020-12-31"
        admin = system.stack.issuer.token(["ledger:admin", "ledger:read"])
        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {admin}"}) as http:
            reopened = http.put(url, json={"closed_through": "2020-11-30"})
            assert reopened.status_code == 200, reopened.text
            assert http.get(url).json()["closed_through"] == "2020-11-30"
    finally:
        assert system.http.put(url, json={"closed_through": before}).status_code == 200
