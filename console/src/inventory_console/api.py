"""The four service APIs, called with the signed-in user's own token."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from .config import ConsoleSettings

Params = Mapping[str, str | int | float | bool | Sequence[str] | None]


@dataclass
class ApiError(Exception):
    """An API answered with an error: its problem details (or what stood in their place)."""

    service: str
    status: int
    problem: dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or self.problem.get("title") or f"HTTP {self.status}")

    @property
    def slug(self) -> str:
        return str(self.problem.get("type", "")).rpartition("/")[2]

    @property
    def refused_token(self) -> bool:
        return self.status in (401, 403)

    @property
    def required_scope(self) -> str | None:
        scope = self.problem.get("required_scope")
        return str(scope) if scope else None


@dataclass
class ApiUnavailableError(Exception):
    service: str
    url: str
    reason: str


class Api:
    """One user's view of the four APIs; one connection pool shared by every request of the console."""

    def __init__(self, client: httpx.AsyncClient, settings: ConsoleSettings, token: str) -> None:
        self.client = client
        self.settings = settings
        self.headers = {"Authorization": f"Bearer {token}"}

    async def get(self, service: str, path: str, params: Params | None = None) -> Any:
        response = await self._send("GET", service, path, params=_clean(params))
        return response.json()

    async def get_text(self, service: str, path: str, params: Params | None = None) -> str:
        return (await self._send("GET", service, path, params=_clean(params))).text

    async def post(self, service: str, path: str, body: Any, idempotency_key: str | None = None) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return (await self._send("POST", service, path, json=body, headers=headers)).json()

    async def all_pages(self, service: str, path: str, key: str, params: Params | None = None,
                        limit: int = 1000) -> list[Any]:
        """Every row, following `next_cursor` as the APIs paginate."""
        found: list[Any] = []
        query = dict(_clean(params) or {}) | {"limit": limit}
        while True:
            page = await self.get(service, path, query)
            found += page[key]
            if not page.get("next_cursor"):
                return found
            query["cursor"] = page["next_cursor"]

    async def _send(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        url = self.settings.api_url(service) + path
        headers = self.headers | kwargs.pop("headers", {})
        try:
            response = await self.client.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiUnavailableError(service, self.settings.api_url(service), str(exc) or type(exc).__name__) from exc
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:500]}
            raise ApiError(service, response.status_code, problem if isinstance(problem, dict) else {"detail": problem})
        return response


def _clean(params: Params | None) -> dict[str, Any] | None:
    """Query parameters without the empty ones: a blank filter field means no filter."""
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None and v != "" and v != []}
