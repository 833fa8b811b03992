"""Settings read once from the environment."""

import os
from typing import Final
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

DEFAULT_DATABASE_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_KAFKA = "127.0.0.1:9092"
SERVICE_PORTS: Final = {"catalog": 8001, "warehouse": 8002, "costing": 8003, "ledger": 8004}


class ServiceSettings(BaseModel):
    """What one service process needs to know about its surroundings."""

    model_config = ConfigDict(frozen=True)

    service: str
    database_url: str
    kafka_bootstrap_servers: str
    topic_prefix: str
    http_host: str
    http_port: int
    http_max_body_bytes: int = 4 * 1024 * 1024
    """Largest request body a service reads (`HTTP_MAX_BODY_BYTES`); a larger one gets 413."""

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @property
    def consumer_group(self) -> str:
        return f"{self.topic_prefix}{self.service}"


def database_url_for(service: str, env: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """`<SERVICE>_DATABASE_URL`, else the database named after the service on `DATABASE_URL`'s server.

    `<SERVICE>_DATABASE_PASSWORD` (or `DATABASE_PASSWORD` for the server's URL) sets the password, so
    that a secret can hold it apart from the rest of the configuration.
    """
    prefix = service.upper()
    specific = env.get(f"{prefix}_DATABASE_URL")
    if specific:
        return with_password(specific, env.get(f"{prefix}_DATABASE_PASSWORD"))
    server = urlsplit(with_password(env.get("DATABASE_URL", DEFAULT_DATABASE_SERVER), env.get("DATABASE_PASSWORD")))
    return urlunsplit(server._replace(path=f"/{service}"))


def with_password(url: str, password: str | None) -> str:
    """`url` with `password` in place of the one it names, if any is given."""
    if not password:
        return url
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def load_settings(service: str, default_port: int) -> ServiceSettings:
    env = os.environ
    prefix = service.upper()
    return ServiceSettings(
        service=service,
        database_url=database_url_for(service, env),
        kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
        topic_prefix=env.get("TOPIC_PREFIX", ""),
        http_host=env.get(f"{prefix}_HTTP_HOST", env.get("HTTP_HOST", "127.0.0.1")),
        http_port=int(env.get(f"{prefix}_HTTP_PORT", default_port)),
        http_max_body_bytes=int(env.get("HTTP_MAX_BODY_BYTES", 4 * 1024 * 1024)),
    )
