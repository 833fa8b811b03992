"""The pure rules of delivery: signatures as Standard Webhooks specifies them, the retry schedule, the filter."""

import base64

import pytest

from inventory_webhooks.config import WebhooksSettings
from inventory_webhooks.domain.delivery import DEFAULT_RETRY_SECONDS, Filter, headers, new_secret, retry_delay, sign


def test_signature_reproduces_the_standard_webhooks_reference_vector() -> None:
    # The example of the Standard Webhooks reference libraries (svix's tests use the same).
    signature = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                     b'{"test": 2432232314}')
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_changes_with_id_timestamp_body_and_secret() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    base = sign(secret, "msg_1", 1, b"{}")
    assert len({base, sign(secret, "msg_2", 1, b"{}"), sign(secret, "msg_1", 2, b"{}"), sign(secret, "msg_1", 1, b"[]"),
                sign(new_secret(), "msg_1", 1, b"{}")}) == 5


def test_a_new_secret_is_whsec_and_the_base64_of_24_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 24
    assert secret != new_secret()


def test_headers_carry_id_timestamp_and_signature() -> None:
    sent = headers("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert sent["webhook-id"] == "msg_p5jXN8AQM9LWM0D4loKWxJek"
    assert sent["webhook-timestamp"] == "1614265330"
    assert sent["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_default_schedule_grows_from_5_seconds_and_ends() -> None:
    delays = [retry_delay(n, DEFAULT_RETRY_SECONDS) for n in range(1, len(DEFAULT_RETRY_SECONDS) + 2)]
    assert delays[:5] == [5, 30, 120, 600, 3600]
    assert all(a is not None and b is not None and a <= b for a, b in zip(delays, delays[1:-1]))
    assert delays[-1] is None
    assert max(DEFAULT_RETRY_SECONDS) == 12 * 3600


@pytest.mark.parametrize("attempts, delay", [(0, None), (1, 0.3), (2, 0.6), (3, None)])
def test_retry_delay_follows_a_configured_schedule(attempts: int, delay: float | None) -> None:
    assert retry_delay(attempts, (0.3, 0.6)) == delay


def test_the_schedule_is_read_from_comma_separated_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOKS_RETRY_SECONDS", "0.5, 2,10")
    settings = WebhooksSettings(database_url="postgresql://x/y", kafka_bootstrap_servers="k:1", topic_prefix="", http_host="h")
    assert settings.retry_seconds == (0.5, 2.0, 10.0)


def test_the_filter_takes_its_event_types_and_matching_item_and_location() -> None:
    wanted = Filter(frozenset({"warehouse.item-entry-posted"}), item_no="A", location_code="BLUE")
    assert wanted.matches("warehouse.item-entry-posted", {"item_no": "A", "location_code": "BLUE"})
    assert not wanted.matches("warehouse.item-entry-posted", {"item_no": "B", "location_code": "BLUE"})
    assert not wanted.matches("warehouse.item-entry-posted", {"item_no": "A", "location_code": "RED"})
    assert not wanted.matches("catalog.item-upserted", {"item_no": "A", "location_code": "BLUE"})
    assert Filter(frozenset({"catalog.item-upserted"})).matches("catalog.item-upserted", {"item_no": "Z"})
