"""The correlation id (pure): taken from X-Correlation-ID or traceparent at the HTTP edge, else new; answered back."""

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from servicekit import correlation
from servicekit.correlation import HEADER, CorrelationMiddleware, from_headers

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"


def test_the_x_correlation_id_header_is_taken_first() -> None:
    given = uuid.uuid4()
    assert from_headers({"x-correlation-id": str(given), "traceparent": TRACEPARENT}) == given
    assert from_headers({"X-Correlation-ID": f"  {given}  "}) == given
    assert from_headers({"x-correlation-id": given.hex.upper()}) == given


def test_else_the_trace_id_of_traceparent() -> None:
    assert from_headers({"traceparent": TRACEPARENT}) == uuid.UUID(TRACE_ID)
    assert from_headers({"traceparent": TRACEPARENT.upper()}) == uuid.UUID(TRACE_ID)


def test_an_invalid_correlation_id_falls_back_to_traceparent_then_a_new_id() -> None:
    assert from_headers({"x-correlation-id": "not-a-uuid", "traceparent": TRACEPARENT}) == uuid.UUID(TRACE_ID)
    fresh = from_headers({"x-correlation-id": "not-a-uuid"})
    assert isinstance(fresh, uuid.UUID) and fresh.version == 4


def test_an_invalid_traceparent_gives_a_new_id() -> None:
    for traceparent in ("", "garbage", f"00-{'0' * 32}-b7ad6b7169203331-01", f"00-{TRACE_ID}-b7ad6b7169203331",
                        f"00-{TRACE_ID[:-1]}g-b7ad6b7169203331-01"):
        made = {from_headers({"traceparent": traceparent}) for _ in range(3)}
        assert len(made) == 3 and uuid.UUID(TRACE_ID) not in made
    assert from_headers({}) != from_headers({})


def test_correlated_sets_the_current_id_for_its_block_only() -> None:
    outer, inner = uuid.uuid4(), uuid.uuid4()
    assert correlation.current() is None
    with correlation.correlated(outer):
        with correlation.correlated(inner):
            assert correlation.current() == inner
        assert correlation.current() == outer
        with correlation.correlated(None):
            assert correlation.current() is None
    assert correlation.current() is None


def app() -> FastAPI:
    made = FastAPI()

    @made.get("/current")
    async def current() -> dict[str, str | None]:
        found = correlation.current()
        return {"current": str(found) if found else None}

    made.add_middleware(CorrelationMiddleware)
    return made


def test_the_middleware_makes_the_id_current_and_answers_it() -> None:
    given = uuid.uuid4()
    with TestClient(app()) as client:
        answered = client.get("/current", headers={HEADER: str(given)})
        assert answered.headers[HEADER] == str(given)
        assert answered.json() == {"current": str(given)}

        from_trace = client.get("/current", headers={"traceparent": TRACEPARENT})
        assert from_trace.headers[HEADER] == str(uuid.UUID(TRACE_ID)) == from_trace.json()["current"]

        first, second = client.get("/current"), client.get("/current", headers={HEADER: "nonsense"})
        assert first.headers[HEADER] == first.json()["current"]
        assert second.headers[HEADER] == second.json()["current"] != first.headers[HEADER]
        assert uuid.UUID(second.headers[HEADER]).version == 4

        missing = client.get("/nowhere", headers={HEADER: str(given)})
        assert (missing.status_code, missing.headers[HEADER]) == (404, str(given))
    assert correlation.current() is None
