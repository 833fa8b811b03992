"""Dead-letter topics for people: list what is in one, and replay it onto the topic it came from."""

import asyncio
import os
from typing import Annotated

import typer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from rich.console import Console
from rich.table import Table

from .settings import DEFAULT_KAFKA, KafkaAuth, kafka_auth

app = typer.Typer(
    help="Inspect and replay dead-letter topics. On a SASL cluster: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, "
    "KAFKA_USERNAME, KAFKA_PASSWORD (an operator's principal).",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)

Bootstrap = Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers.")]
Prefix = Annotated[str, typer.Option(envvar="TOPIC_PREFIX", help="Topic prefix of the deployment.")]


def _headers(record: object) -> dict[str, str]:
    return {name: value.decode(errors="replace") for name, value in getattr(record, "headers", None) or ()}


def _auth(auth: KafkaAuth | None) -> dict[str, object]:
    return (auth if auth is not None else kafka_auth()).client_options()


async def _partitions(bootstrap: str, topic: str, auth: KafkaAuth | None = None) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **_auth(auth))
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if described["error_code"] != 0 or not described["partitions"]:
        raise typer.BadParameter(f"topic {topic} does not exist")
    return sorted(p["partition"] for p in described["partitions"])


async def _drain(bootstrap: str, topic: str, auth: KafkaAuth | None = None) -> list[object]:
    """Every record of the topic, from the beginning to its end as it is now."""
    # Earliest from the start: the reset to the default (latest) that assign() begins would otherwise race the
    # seek to the beginning below, and the listing come out empty.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest", **_auth(auth)
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in await _partitions(bootstrap, topic, auth)]
        consumer.assign(partitions)
        end = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[object] = []
        while any([await consumer.position(tp) < end[tp] for tp in partitions]):
            for tp, batch in (await consumer.getmany(timeout_ms=1000)).items():
                records.extend(r for r in batch if r.offset < end[tp])
        records.sort(key=lambda r: (r.partition, r.offset))  # type: ignore[attr-defined]
        return records
    finally:
        await consumer.stop()


@app.command("list")
def list_dead_letters(topic: str, bootstrap: Bootstrap = DEFAULT_KAFKA, prefix: Prefix = "") -> None:
    """Show every record of a dead-letter topic with its reason."""
    records = asyncio.run(_drain(bootstrap, prefix + topic))
    table = Table("partition", "offset", "key", "origin", "consumer", "reason")
    for record in records:
        headers = _headers(record)
        table.add_row(
            str(record.partition), str(record.offset),  # type: ignore[attr-defined]
            (record.key or b"").decode(errors="replace"),  # type: ignore[attr-defined]
            f"{headers.get('dlq-origin-topic')}@{headers.get('dlq-origin-partition')}:{headers.get('dlq-origin-offset')}",
            headers.get("dlq-consumer-group", ""), headers.get("dlq-reason", ""),
        )
    console.print(table)
    console.print(f"{len(records)} dead letters in {prefix + topic}")


async def _replay(bootstrap: str, topic: str, prefix: str, auth: KafkaAuth | None = None) -> int:
    """Re-publish what the replay group has not replayed yet, up to the end of the topic as it is now.

    Stopping at today's end matters: a record that fails again is dead-lettered again, and must wait
    for the next replay instead of looping.
    """
    dead_letters = prefix + topic
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=f"{prefix}dlq-replay.{topic}", enable_auto_commit=False,
        auto_offset_reset="earliest", **_auth(auth),
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", **_auth(auth))
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        partitions = [TopicPartition(dead_letters, p) for p in await _partitions(bootstrap, dead_letters, auth)]
        consumer.assign(partitions)
        end = await consumer.end_offsets(partitions)
        while any([await consumer.position(tp) < end[tp] for tp in partitions]):
            batch = await consumer.getmany(timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= end[tp]:
                        consumer.seek(tp, record.offset)
                        break
                    headers = _headers(record)
                    origin = headers.get("dlq-origin-topic")
                    if origin is None:
                        console.print(f"[yellow]skipped {record.partition}:{record.offset}: no origin header[/]")
                        continue
                    if headers.get("dlq-shortened") == "true":
                        # Too big for the broker, only its summary was kept; the original is at its origin offset.
                        console.print(
                            f"[yellow]skipped {record.partition}:{record.offset}: shortened dead letter of "
                            f"{origin}@{headers.get('dlq-origin-partition')}:{headers.get('dlq-origin-offset')}[/]"
                        )
                        continue
                    kept = [(k, v.encode()) for k, v in headers.items() if not k.startswith("dlq-")]
                    await producer.send_and_wait(prefix + origin, record.value, key=record.key, headers=kept)
                    replayed += 1
            # Commit only what was re-published: a crash here replays again, and inboxes drop duplicates.
            await consumer.commit({tp: min(await consumer.position(tp), end[tp]) for tp in partitions})
        return replayed
    finally:
        await producer.stop()
        await consumer.stop()


@app.command()
def replay(topic: str, bootstrap: Bootstrap = DEFAULT_KAFKA, prefix: Prefix = "") -> None:
    """Re-publish each not yet replayed record of a dead-letter topic onto its origin topic."""
    count = asyncio.run(_replay(bootstrap, topic, prefix))
    console.print(f"replayed {count} records from {prefix + topic}")


def main() -> None:
    app()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
