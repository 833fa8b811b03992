"""Settings read once from the environment."""

import os
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

DEFAULT_DATABASE_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_KAFKA = "127.0.0.1:9092"


class ServiceSettings(BaseModel):
    """What one service process needs to know about its surroundings."""

    model_config = ConfigDict(frozen=True)

    service: str
    database_url: str
    kafka_bootstrap_servers: str
    topic_prefix: str
    http_host: str
    http_port: int

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @property
    def consumer_group(self) -> str:
        return f"{self.topic_prefix}{self.service}"


def database_url_for(service: str, env: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """`<SERVICE>_DATABASE_URL`, else the database named after the service on `DATABASE_URL`'s server."""
    specific = env.get(f"{service.upper()}_DATABASE_URL")
    if specific:
        return specific
    server = urlsplit(env.get("DATABASE_URL", DEFAULT_DATABASE_SERVER))
    return urlunsplit(server._replace(path=f"/{service}"))


def load_settings(service: str, default_port: int) -> ServiceSettings:
    env = os.environ
    prefix = service.upper()
    return ServiceSettings(
        service=service,
        database_url=database_url_for(service, env),
        kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
        topic_prefix=env.get("TOPIC_PREFIX", ""),
        http_host=env.get(f"{prefix}_HTTP_HOST", "127.0.0.1"),
        http_port=int(env.get(f"{prefix}_HTTP_PORT", default_port)),
    )
