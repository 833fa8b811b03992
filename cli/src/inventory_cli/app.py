"""`inventory`: items, postings, availability, valuation, the books and dead letters, through the four APIs.

It finds the stack `make up` runs by itself (its `stack.json`); INVENTORY_STACK names another such file, and
INVENTORY_CATALOG_URL, INVENTORY_WAREHOUSE_URL, INVENTORY_COSTING_URL, INVENTORY_LEDGER_URL, INVENTORY_TOKEN,
TOPIC_PREFIX and KAFKA_* (dead letters only) win over it.
"""

from typing import Annotated

import typer

from . import catalog, dead_letters, reports
from .client import Api
from .config import find, mint_token
from .output import fail, handled
from .posting import post_command

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
app.add_typer(catalog.app, name="items")
app.add_typer(dead_letters.app, name="dead-letters")
app.command("post")(post_command)
app.command("availability")(handled(reports.availability))
app.command("valuation")(handled(reports.valuation))
app.command("trial-balance")(handled(reports.trial_balance))
app.command("reconciliation")(handled(reports.reconciliation))


@app.callback()
def connect(ctx: typer.Context) -> None:
    api = Api(handled(find)())
    ctx.obj = api
    ctx.call_on_close(api.close)


@app.command()
@handled
def token(
    ctx: typer.Context,
    scope: Annotated[list[str] | None, typer.Option("--scope", help="A scope the token carries (repeat; default: all).")] = None,
    ttl: Annotated[int, typer.Option(help="Seconds until it expires.")] = 3600,
    responsibility_center: Annotated[str | None, typer.Option(
        help="Tie the holder to this responsibility center: it sees and posts that center's documents only.")] = None,
) -> None:
    """Print an access token of the local stack's development issuer (export INVENTORY_TOKEN=$(inventory token))."""
    api: Api = ctx.obj
    auth_dir = api.target.auth_dir
    if auth_dir is None:
        raise fail(f"no local stack at {api.target.stack_file} (start it with `make up`): its issuer mints the tokens")
    print(mint_token(auth_dir, scope, ttl, responsibility_center))


def main() -> None:
    app()
