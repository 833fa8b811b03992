"""`inventory-console` (or `python -m inventory_console`): serve the console on CONSOLE_HTTP_HOST:CONSOLE_HTTP_PORT."""

import uvicorn

from .app import create_app
from .config import ConsoleSettings


def main() -> None:
    settings = ConsoleSettings()
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_level="info")


if __name__ == "__main__":
    main()
