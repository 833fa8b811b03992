"""`devstack`: run the whole system locally."""

import json
import signal
import time
from urllib.parse import urlsplit
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from servicekit.auth import SCOPES

from . import demo
from .issuer import DevIssuer
from .stack import REPLICATED, SERVICES, Stack, StackError

app = typer.Typer(help="Run the inventory platform on this machine.", no_args_is_help=True)
console = Console(soft_wrap=True)

STATE = Path(__file__).resolve().parents[4] / ".state"
STACK_FILE = "stack.json"


def stack_description(stack: Stack) -> dict[str, Any]:
    """Where everything of a running stack is: what `<state_dir>/stack.json` holds for the `inventory` CLI and the
    console. The Kafka password stays in its file; a broker the stack did not start names none."""
    auth = stack.kafka_auth
    return {
        "services": {service: stack.url(service) for service in SERVICES},
        "console": stack.console_url,
        "webhooks": stack.webhooks_url,
        "auth_dir": str(stack.issuer.directory),
        "kafka": {
            "bootstrap_servers": stack.bootstrap_servers, "topic_prefix": stack.topic_prefix,
            "security_protocol": auth.security_protocol, "sasl_mechanism": auth.sasl_mechanism if auth.sasl else None,
            "username": auth.username if auth.sasl else None,
            "password_file": str(stack.kafka.data_dir / "admin.password") if stack.kafka is not None and auth.sasl else None,
        },
    }


def write_stack_file(stack: Stack) -> Path:
    path = stack.state_dir / STACK_FILE
    written = path.with_suffix(".new")
    written.write_text(json.dumps(stack_description(stack), indent=2) + "\n")
    written.replace(path)
    return path


@app.command()
def up(
    demo_data: Annotated[bool, typer.Option("--demo/--no-demo", help="Load demo items, receipts and sales.")] = True,
    state_dir: Annotated[Path, typer.Option(help="Where Kafka and PostgreSQL keep their data.")] = STATE / "local",
    replicas: Annotated[int, typer.Option(min=1, help="Processes each of warehouse, costing and ledger runs in "
                                                      "(at most the topics' partition count do work).")] = 1,
) -> None:
    """Start Kafka, PostgreSQL, the four services, the webhooks and the web console; Ctrl-C stops them all."""
    stack = Stack(state_dir)
    (stack.state_dir / STACK_FILE).unlink(missing_ok=True)  # left by a launcher that was killed
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    # Started in the background (`make up &` in a script), a shell has SIGINT ignored: `kill -INT` must stop it too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with console.status("starting Kafka and PostgreSQL"):
            stack.start_infrastructure()
        with console.status("starting the services"):
            stack.start_services({service: replicas for service in REPLICATED})
            stack.start_webhooks()
            stack.start_console()
        if demo_data:
            with console.status("loading demo data"):
                demo.load(stack)
        stack_file = write_stack_file(stack)
        postgres = urlsplit(stack.database_server_url)
        console.print(f"[bold green]up[/]  Kafka {stack.bootstrap_servers} ({stack.kafka_auth.security_protocol})   "
                      f"PostgreSQL {postgres.hostname}:{postgres.port}"
                      + (f", {stack.postgres.settings}" if stack.postgres else ""))
        if stack.kafka is not None and stack.postgres is not None:
            console.print(f"  admin credentials: Kafka user admin, password in {stack.kafka.data_dir / 'admin.password'}; "
                          f"PostgreSQL user postgres, password in {stack.postgres.data_dir / 'superuser.password'}")
        for instance in stack.services:
            console.print(f"  {instance:<11} {stack.url(instance)}   docs {stack.url(instance)}/docs   "
                          f"events {stack.url(instance)}/asyncapi.yaml")
        console.print(f"  {'webhooks':<11} {stack.webhooks_url}   docs {stack.webhooks_url}/docs")
        console.print(f"  {'console':<11} {stack.console_url}   sign in with a token of .venv/bin/devstack token")
        console.print("every API call needs a token: "
                      "[bold]export TOKEN=$(.venv/bin/devstack token)[/] (all scopes; --scope catalog:read ... for fewer), "
                      'then curl -H "authorization: Bearer $TOKEN" ...')
        named = "" if state_dir == STATE / "local" else f"INVENTORY_STACK={stack_file} "
        console.print(f"the CLI reads {stack_file}: [bold]{named}.venv/bin/inventory items list[/] (--help for more); "
                      "[bold].venv/bin/devstack status[/] probes the services")
        console.print(f"logs in {stack.state_dir / 'logs'}; Ctrl-C stops everything")
        while True:
            others = {"console": stack.console, "webhooks": stack.webhooks}
            for service, process in {**stack.services, **{name: p for name, p in others.items() if p}}.items():
                if process.poll() is not None:
                    raise StackError(f"{service} exited with {process.returncode}; see {stack.state_dir / 'logs'}")
            time.sleep(1)
    except KeyboardInterrupt:
        console.print("stopping")
    except StackError as exc:
        console.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    finally:
        (stack.state_dir / STACK_FILE).unlink(missing_ok=True)
        stack.stop()


@app.command()
def status(
    state_dir: Annotated[Path, typer.Option(help="The stack's state folder (its stack.json).")] = STATE / "local",
) -> None:
    """Whether the stack `up` runs is up: each service's /readyz. Exit 1 when it is not running or not ready."""
    path = state_dir / STACK_FILE
    if not path.is_file():
        console.print(f"[red]no stack is up[/] (no {path}): start one with `make up`")
        raise typer.Exit(1)
    description = json.loads(path.read_text())
    table = Table("service", "address", "/readyz")
    ready = True
    for service, url in description["services"].items():
        try:
            answer = httpx.get(f"{url}/readyz", timeout=2)
            state = "[green]ready[/]" if answer.status_code == 200 else f"[red]not ready ({answer.status_code})[/]"
            ready &= answer.status_code == 200
        except httpx.HTTPError as exc:
            state, ready = f"[red]down ({type(exc).__name__})[/]", False
        table.add_row(service, url, state)
    console.print(table)
    console.print(f"Kafka {description['kafka']['bootstrap_servers']}" + (f"; console {description['console']}" if description.get("console") else ""))
    if not ready:
        raise typer.Exit(1)


bench_app = typer.Typer(help="Benchmarks: each starts a stack of its own and prints figures (not a pass/fail test).")
app.add_typer(bench_app, name="bench")


@bench_app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    postings: Annotated[int, typer.Option(help="Item journal lines to post.")] = 5000,
    items: Annotated[int, typer.Option(help="Distinct items they spread over.")] = 50,
    lines_per_document: Annotated[int, typer.Option(help="Lines per posted document.")] = 10,
    concurrency: Annotated[int, typer.Option(help="Documents in flight at once.")] = 8,
    fast: Annotated[bool, typer.Option("--fast", help="PostgreSQL with fsync, synchronous commit and full page writes off (default: durable).")] = False,
    rate: Annotated[float | None, typer.Option(help="Pace the postings at this many per second (default: as fast as possible).")] = None,
    replicas: Annotated[int, typer.Option(min=1, help="Processes each of warehouse, costing and ledger runs in.")] = 1,
    segment: Annotated[int, typer.Option(min=1, help="Above this many postings, figures for each such part in turn too.")] = 20_000,
    statements: Annotated[bool, typer.Option("--statements", help="Count the services' SQL statements per posting "
                                                                  "(pg_stat_statements; the launcher's own PostgreSQL).")] = False,
    paced_rate: Annotated[float | None, typer.Option(help="Then, on the same stack, post paced at this many per second...")] = None,
    paced_seconds: Annotated[float, typer.Option(help="...for this long, and print that phase's latency.")] = 60,
) -> None:
    """Without a command: postings per second end to end (API to G/L entry) and latency percentiles, next to a
    Postgres baseline. The commands measure costing on its own."""
    if ctx.invoked_subcommand is not None:
        return
    from .bench import run

    run(postings=postings, items=items, lines_per_document=lines_per_document, concurrency=concurrency, durable=not fast,
        rate=rate, replicas=replicas, segment=segment, statements=statements, paced_rate=paced_rate,
        paced_seconds=paced_seconds)


@bench_app.command("costing-drain")
def bench_costing_drain(
    entries: Annotated[int, typer.Option(help="Item entries in the backlog.")] = 100_000,
    items: Annotated[int, typer.Option(help="Distinct items they spread over.")] = 1000,
    lines_per_document: Annotated[int, typer.Option(help="Lines per document posted to fill the backlog.")] = 250,
    concurrency: Annotated[int, typer.Option(help="Documents posted at once to fill the backlog.")] = 4,
    costing_method: Annotated[str, typer.Option(help="The items' costing method.")] = "FIFO",
    fast: Annotated[bool, typer.Option("--fast", help="PostgreSQL with fsync, synchronous commit and full page writes off (default: durable).")] = False,
) -> None:
    """Costing alone working off a backlog: the warehouse posts the entries while costing is stopped, then costing
    starts; entries per second until its consumer lag is 0, and until the ledger has posted every value entry."""
    from .bench_drain import run

    run(entries=entries, items=items, lines_per_document=lines_per_document, concurrency=concurrency,
        costing_method=costing_method, durable=not fast)


@bench_app.command("costing-adjustment")
def bench_costing_adjustment(
    entries: Annotated[list[int] | None, typer.Option(
        help="History size of the item, in entries (repeat for several; default 10,000, 100,000 and 1,000,000).")] = None,
    outbound: Annotated[int, typer.Option(help="Outbound entries each back-dated inbound entry adjusts.")] = 1000,
    runs: Annotated[int, typer.Option(help="Back-dated entries per history size, in costing alone and again through the stack.")] = 3,
    fast: Annotated[bool, typer.Option("--fast", help="PostgreSQL with fsync, synchronous commit and full page writes off (default: durable).")] = False,
) -> None:
    """A back-dated inbound entry that adjusts OUTBOUND earlier sales of an item with a long history: the time in
    costing alone, and through the stack until the ledger has posted every adjustment, per history size."""
    from .bench_adjustment import run

    run(sizes=entries or [10_000, 100_000, 1_000_000], outbound=outbound, runs=runs, durable=not fast)


@app.command()
def chaos(
    seed: Annotated[int, typer.Option(help="Seeds the documents and the faults: the same seed, the same schedule.")] = 1,
    postings: Annotated[int, typer.Option(help="Journal lines to post.")] = 600,
    items: Annotated[int, typer.Option(help="Distinct items they spread over.")] = 12,
    faults: Annotated[int, typer.Option(help="Faults injected: kills of services, PostgreSQL and Kafka, duplicates, poison.")] = 8,
    replicas: Annotated[int, typer.Option(min=1, help="Processes each of warehouse, costing and ledger runs in; above 1, one "
                                                      "of each is also killed (SIGKILL) mid-run.")] = 1,
    keep: Annotated[bool, typer.Option(help="Keep the stack's data and logs under .state/.")] = False,
) -> None:
    """Post a seeded mix of documents while killing services, PostgreSQL and Kafka at random moments and injecting
    duplicates and poison messages; then check that nothing was lost or doubled and the books reconcile."""
    from .chaos import run

    if not run(seed=seed, postings=postings, items=items, faults=faults, replicas=replicas, keep=keep):
        raise typer.Exit(1)


@app.command()
def token(
    scope: Annotated[list[str] | None, typer.Option("--scope", help="A scope the token carries (repeat; default: all).")] = None,
    ttl: Annotated[int, typer.Option(help="Seconds until the token expires.")] = 3600,
    subject: Annotated[str, typer.Option(help="The token's sub claim.")] = "developer",
    state_dir: Annotated[Path, typer.Option(help="The stack whose signing key signs it.")] = STATE / "local",
    responsibility_center: Annotated[str | None, typer.Option(
        help="Tie the holder to this responsibility center: it sees and posts that center's documents only.")] = None,
) -> None:
    """Print an access token of the local stack's development issuer."""
    unknown = [s for s in scope or [] if s not in SCOPES]
    if unknown:
        raise typer.BadParameter(f"unknown scope {', '.join(unknown)}; known: {', '.join(SCOPES)}", param_hint="--scope")
    print(DevIssuer(state_dir / "auth").token(scope or list(SCOPES), ttl=ttl, subject=subject,
                                              responsibility_center=responsibility_center))


@app.command()
def jwks(
    state_dir: Annotated[Path, typer.Option(help="The stack whose public key it is.")] = STATE / "local",
) -> None:
    """Print the development issuer's public keys (JWKS): the value of AUTH_JWKS for services in containers."""
    print(json.dumps(DevIssuer(state_dir / "auth").jwks, separators=(",", ":")))
