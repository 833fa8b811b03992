"""`inventory dead-letters ...`: list, replay (once per poisoned record) and purge the dead-letter topics."""

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from inventory_contracts.topics import all_topics
from servicekit import dlq

from .config import CliError, Target
from .output import console, handled

app = typer.Typer(help="Dead-letter topics (Kafka, as the stack's operator: KAFKA_* or stack.json).",
                  no_args_is_help=True)

Topics = Annotated[list[str] | None, typer.Option("--topic", "-t", help="A dead-letter topic, e.g. catalog.items.v1.dlq "
                                                                         "(repeat; default: every one).")]


def topics_of(chosen: list[str] | None) -> list[str]:
    known = [t for t in all_topics() if t.endswith(".dlq")]
    if not chosen:
        return known
    named = [t if t.endswith(".dlq") else f"{t}.dlq" for t in chosen]
    unknown = [t for t in named if t not in known]
    if unknown:
        raise CliError(f"no dead-letter topic {', '.join(unknown)}; known: {', '.join(known)}")
    return named


@app.command("list")
@handled
def list_dead_letters(ctx: typer.Context, topic: Topics = None) -> None:
    """Every dead letter, with where it came from, the consumer group that refused it and why."""
    target: Target = ctx.obj.target
    total = 0
    for name in topics_of(topic):
        records = asyncio.run(dlq.read(target.bootstrap_servers, target.topic_prefix + name, target.kafka_auth()))
        total += len(records)
        if not records:
            continue
        table = Table("partition", "offset", "key", "origin", "consumer group", "reason", title=name)
        for record in records:
            headers = record.header
            reason = headers.get("dlq-reason", "") + (" (shortened)" if headers.get("dlq-shortened") == "true" else "")
            table.add_row(str(record.partition), str(record.offset), (record.key or b"").decode(errors="replace"),
                          record.origin, headers.get("dlq-consumer-group", ""), reason)
        console.print(table)
    console.print(f"{total} dead letters")


@app.command()
@handled
def replay(ctx: typer.Context, topic: Topics = None) -> None:
    """Re-publish each poisoned record that dead letters not replayed yet name onto its topic, once, however many
    consumer groups dead-lettered it. A record that fails again is dead-lettered again, for a later replay."""
    target: Target = ctx.obj.target
    replayed = 0
    for name in topics_of(topic):
        result = asyncio.run(dlq.replay(target.bootstrap_servers, name, target.topic_prefix, target.kafka_auth()))
        replayed += result.replayed
        for reason in result.skipped:
            console.print(f"[yellow]{name}: skipped {reason}[/]")
        if result.replayed or result.duplicates:
            console.print(f"{name}: replayed {result.replayed}"
                          + (f", {result.duplicates} more dead letters of the same records" if result.duplicates else ""))
    console.print(f"replayed {replayed} records")


@app.command()
@handled
def purge(
    ctx: typer.Context,
    topic: Topics = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete the dead letters the topics hold now (those that come later stay), after a confirmation."""
    target: Target = ctx.obj.target
    auth = target.kafka_auth()
    held = {name: asyncio.run(dlq.offsets(target.bootstrap_servers, target.topic_prefix + name, auth))
            for name in topics_of(topic)}
    counts = {name: sum(end - begin for begin, end in offsets.values()) for name, offsets in held.items()}
    total = sum(counts.values())
    if not total:
        console.print("no dead letters to purge")
        return
    for name, count in counts.items():
        if count:
            console.print(f"  {name}: {count}")
    if not yes and not typer.confirm(f"delete these {total} dead letters?"):
        raise CliError("nothing purged")
    for name, offsets in held.items():
        if counts[name]:
            asyncio.run(dlq.purge(target.bootstrap_servers, {tp: end for tp, (_, end) in offsets.items()}, auth))
    console.print(f"purged {total} dead letters")
