"""The four APIs over HTTP with a bearer token; what goes wrong becomes a one-line `CliError`."""

from typing import Any

import httpx

from .config import CliError, Target

READ_TIMEOUT = 60


def problem_text(response: httpx.Response) -> str:
    """An RFC 9457 problem as one line: status, title, detail and each field error."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return f"{response.status_code} {response.reason_phrase}: {response.text[:200]}".rstrip(": ")
    text = f"{response.status_code} {body.get('title') or response.reason_phrase}"
    if body.get("detail"):
        text += f": {body['detail']}"
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        text += " (" + "; ".join(
            f"{'.'.join(str(p) for p in e.get('location', []) if p != 'body')}: {e.get('message', '')}"
            for e in errors if isinstance(e, dict)) + ")"
    return text


class Api:
    """One client for the four services. `call` answers 2xx and 4xx other than 401/403 (the caller decides what a
    refusal means); `get` wants a 2xx. Unreachable services, token refusals and 5xx raise `CliError`."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self._http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=READ_TIMEOUT,
                                      headers={"Authorization": f"Bearer {self.target.access_token()}"})
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def call(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = self.target.url(service) + path
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.ConnectError:
            raise CliError(f"cannot reach the {service} API at {self.target.url(service)}: is the stack up? "
                           f"(`make up`; `devstack status` shows it; INVENTORY_{service.upper()}_URL names another)"
                           ) from None
        except httpx.TimeoutException:
            raise CliError(f"the {service} API at {self.target.url(service)} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise CliError(f"the {service} API at {self.target.url(service)}: {exc}") from None
        if response.status_code == 401:
            raise CliError(f"the {service} API refused the token ({problem_text(response)}); set INVENTORY_TOKEN to "
                           "a valid one (for the local stack: export INVENTORY_TOKEN=$(.venv/bin/inventory token))")
        if response.status_code == 403:
            raise CliError(f"the token lacks a scope the {service} API needs ({problem_text(response)})")
        if response.status_code >= 500:
            raise CliError(f"the {service} API failed: {problem_text(response)}")
        if response.status_code == 404 and "application/json" not in response.headers.get("content-type", "") \
                and "problem" not in response.headers.get("content-type", ""):
            raise CliError(f"{url} is not the {service} API (404 {response.text[:80]!r}): check INVENTORY_{service.upper()}_URL")
        return response

    def get(self, service: str, path: str, **params: Any) -> Any:
        response = self.call(service, "GET", path, params={k: v for k, v in params.items() if v is not None})
        if response.status_code >= 400:
            raise CliError(f"{service}: {problem_text(response)}")
        return response.json()

    def pages(self, service: str, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
        """Every page of a cursor-paginated list."""
        found: list[dict[str, Any]] = []
        params = {k: v for k, v in params.items() if v is not None} | {"limit": params.get("limit") or 500}
        while True:
            page = self.get(service, path, **params)
            found += page[key]
            if not page.get("next_cursor"):
                return found
            params["cursor"] = page["next_cursor"]
