"""Dead-letter topics for people: read one, replay it onto the topics its records came from, purge it.

The `inventory dead-letters` commands call these; the client authenticates as `auth` says (an operator's
principal on a SASL cluster).
"""

import json
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete

from .settings import KafkaAuth


class DeadLetterTopicError(RuntimeError):
    """A dead-letter topic that cannot be read: it does not exist, or the broker refused."""


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    @property
    def header(self) -> dict[str, str]:
        return {name: value.decode(errors="replace") for name, value in self.headers}

    @property
    def origin(self) -> str:
        h = self.header
        return f"{h.get('dlq-origin-topic')}@{h.get('dlq-origin-partition')}:{h.get('dlq-origin-offset')}"

    @property
    def origin_key(self) -> tuple[str, ...]:
        """What names the poisoned record itself, so that the dead letters of every consumer group that refused
        it share it: its place on the origin topic, else its event id, else (nothing identifies it) this record."""
        h = self.header
        if "dlq-origin-partition" in h and "dlq-origin-offset" in h:
            return ("place", h.get("dlq-origin-topic", ""), h["dlq-origin-partition"], h["dlq-origin-offset"])
        try:
            event_id = json.loads(self.value).get("event_id")
        except (ValueError, AttributeError):
            event_id = None
        if isinstance(event_id, str) and event_id:
            return ("event", h.get("dlq-origin-topic", ""), event_id)
        return ("dead-letter", self.topic, str(self.partition), str(self.offset))


@dataclass
class ReplayResult:
    replayed: int = 0
    duplicates: int = 0
    """Dead letters of an origin already re-published (in this run or an earlier one): another group's copy."""
    skipped: list[str] = field(default_factory=list)
    """Why a dead letter could not be replayed (no origin, or only its summary was kept)."""


async def partitions(bootstrap: str, topic: str, auth: KafkaAuth) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **auth.client_options())
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if described["error_code"] != 0 or not described["partitions"]:
        raise DeadLetterTopicError(f"topic {topic} does not exist")
    return [TopicPartition(topic, p) for p in sorted(p["partition"] for p in described["partitions"])]


async def offsets(bootstrap: str, topic: str, auth: KafkaAuth) -> dict[TopicPartition, tuple[int, int]]:
    """Each partition's first and next offset: what the topic holds now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, **auth.client_options())
    await consumer.start()
    try:
        tps = await partitions(bootstrap, topic, auth)
        begin, end = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
        return {tp: (begin[tp], end[tp]) for tp in tps}
    finally:
        await consumer.stop()


async def read(bootstrap: str, topic: str, auth: KafkaAuth) -> list[DeadLetter]:
    """Every record of the topic, from its beginning to its end as it is now, by partition and offset."""
    return (await _read(bootstrap, topic, auth))[0]


async def _read(bootstrap: str, topic: str, auth: KafkaAuth, group: str | None = None
                ) -> tuple[list[DeadLetter], dict[TopicPartition, int], dict[TopicPartition, int]]:
    """The records, the end offsets they were read up to, and `group`'s committed offsets (0 where none)."""
    # Earliest from the start: the reset to the default (latest) that assign() begins would otherwise race the
    # seek to the beginning below, and the listing come out empty.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                                auto_offset_reset="earliest", **auth.client_options())
    await consumer.start()
    try:
        tps = await partitions(bootstrap, topic, auth)
        consumer.assign(tps)
        end = await consumer.end_offsets(tps)
        committed = {tp: (await consumer.committed(tp) or 0) if group else 0 for tp in tps}
        await consumer.seek_to_beginning(*tps)
        records: list[DeadLetter] = []
        while any([await consumer.position(tp) < end[tp] for tp in tps]):
            for tp, batch in (await consumer.getmany(timeout_ms=1000)).items():
                records.extend(DeadLetter(r.topic, r.partition, r.offset, r.key, r.value or b"", list(r.headers or ()))
                               for r in batch if r.offset < end[tp])
        records.sort(key=lambda r: (r.partition, r.offset))
        return records, end, committed
    finally:
        await consumer.stop()


async def replay(bootstrap: str, topic: str, prefix: str, auth: KafkaAuth) -> ReplayResult:
    """Re-publish, onto its origin topic, each poisoned record that a dead letter not replayed yet names, once.

    Several consumer groups may dead-letter the same record: each writes a dead letter of its own naming the
    same origin (`DeadLetter.origin_key`), and the record goes back once, however many there are and whether
    they came before or after an earlier replay (as long as the topic still holds that one). A replayed record that fails again is dead-lettered at its
    new place, so it is a new origin for the next replay.

    Stopping at today's end matters: a record that fails again is dead-lettered again, and must wait
    for the next replay instead of looping. The replay group's offsets mark what was replayed; they are
    committed after publishing, so a crash replays again, and the inboxes drop the duplicates.
    """
    dead_letters = prefix + topic
    group = f"{prefix}dlq-replay.{topic}"
    records, end, replayed_up_to = await _read(bootstrap, dead_letters, auth, group=group)
    pending = [r for r in records if r.offset >= replayed_up_to[TopicPartition(r.topic, r.partition)]]
    seen = {r.origin_key for r in records if r.offset < replayed_up_to[TopicPartition(r.topic, r.partition)]}
    result = ReplayResult()
    chosen: list[DeadLetter] = []
    for record in pending:
        headers = record.header
        if headers.get("dlq-origin-topic") is None:
            result.skipped.append(f"{record.partition}:{record.offset}: no origin header")
        elif headers.get("dlq-shortened") == "true":
            # Too big for the broker, only its summary was kept; the original is at its origin offset.
            result.skipped.append(f"{record.partition}:{record.offset}: shortened dead letter of {record.origin}")
        elif record.origin_key in seen:
            result.duplicates += 1
        else:
            seen.add(record.origin_key)
            chosen.append(record)
    if chosen:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all",
                                    **auth.client_options())
        await producer.start()
        try:
            for record in chosen:
                kept = [(k, v) for k, v in record.headers if not k.startswith("dlq-")]
                await producer.send_and_wait(prefix + record.header["dlq-origin-topic"], record.value, key=record.key,
                                             headers=kept)
                result.replayed += 1
        finally:
            await producer.stop()
    if pending:
        await _commit(bootstrap, group, end, auth)
    return result


async def _commit(bootstrap: str, group: str, positions: dict[TopicPartition, int], auth: KafkaAuth) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                                **auth.client_options())
    await consumer.start()
    try:
        consumer.assign(list(positions))
        await consumer.commit(positions)
    finally:
        await consumer.stop()


async def purge(bootstrap: str, before: dict[TopicPartition, int], auth: KafkaAuth) -> None:
    """Delete every record below `before` (per partition): what was listed, not what came since."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **auth.client_options())
    await admin.start()
    try:
        await admin.delete_records({tp: RecordsToDelete(offset) for tp, offset in before.items()}, timeout_ms=30_000)
    finally:
        await admin.close()
