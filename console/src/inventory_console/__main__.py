"""`inventory-console` (or `python -m inventory_console`): serve the console on CONSOLE_HTTP_HOST:CONSOLE_HTTP_PORT."""

import uvicorn

from servicekit import logs

from .app import create_app
from .config import ConsoleSettings


def main() -> None:
    logs.configure("console")  # JSON lines, as the services write them, so one jq reads every log of a stack
    settings = ConsoleSettings()
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None, log_level="info")


if __name__ == "__main__":
    main()
