"""The user's access token: kept in an HttpOnly, SameSite=Strict cookie, sent to the APIs as a bearer token.

The console does not verify the token: the APIs do, on every call. Its claims are read only to show who is signed
in and, once an API has accepted the token (so its signature is known good), which scopes it carries.
"""

import base64
import binascii
import json
import time
from typing import Any

from fastapi import Request
from fastapi.responses import Response

COOKIE = "inventory_console_token"


class NotSignedInError(Exception):
    pass


def claims_of(token: str) -> dict[str, Any] | None:
    """The JWT's payload, unverified; None when the text is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def token_of(request: Request) -> str:
    token = request.cookies.get(COOKIE)
    if not token:
        raise NotSignedInError()
    return token


def scopes_of(token: str) -> set[str]:
    scope = (claims_of(token) or {}).get("scope")
    return set(scope.split()) if isinstance(scope, str) else set()


def keep(response: Response, token: str, secure: bool) -> None:
    expires = (claims_of(token) or {}).get("exp")
    max_age = int(expires - time.time()) if isinstance(expires, (int, float)) else None
    response.set_cookie(COOKIE, token, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")


def forget(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="strict", secure=secure, path="/")
