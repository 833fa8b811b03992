"""Where output goes, and how a failure ends a command: one or two lines on standard error, exit 1."""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from aiokafka.errors import KafkaConnectionError, KafkaError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from servicekit.dlq import DeadLetterTopicError

from .config import CliError

console = Console()
errors = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(1)


def handled(command: Callable[P, R]) -> Callable[P, R]:
    """The command's expected failures (stack down, bad address or token, refusals) as a message, not a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CliError as exc:
            raise fail(str(exc)) from None
        except DeadLetterTopicError as exc:
            raise fail(str(exc)) from None
        except KafkaConnectionError as exc:
            raise fail(f"cannot reach Kafka ({exc}): is the stack up? (`make up`; KAFKA_BOOTSTRAP_SERVERS names "
                       "another)") from None
        except KafkaError as exc:
            raise fail(f"Kafka refused: {exc}") from None

    return run


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=errors)
