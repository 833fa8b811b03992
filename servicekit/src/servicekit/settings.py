"""Settings read once from the environment: each service declares one Settings class, a subclass of ServiceSettings.

The common settings (database, Kafka, topic prefix, HTTP) are named alike in every service and read by
`ServiceSettings.from_environment`; a service's own settings are fields of its subclass, read by
pydantic-settings from `<SERVICE>_<FIELD>` (the subclass sets `env_prefix`).
"""

import os
from typing import Any, Final
from urllib.parse import quote, urlsplit, urlunsplit

from typing import Self

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_KAFKA = "127.0.0.1:9092"
SERVICE_PORTS: Final = {"catalog": 8001, "warehouse": 8002, "costing": 8003, "ledger": 8004}
SECURITY_PROTOCOLS: Final = ("PLAINTEXT", "SASL_PLAINTEXT")
SASL_MECHANISMS: Final = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class KafkaAuth(BaseModel):
    """How a client authenticates to Kafka: PLAINTEXT (no principal) or SASL with a username and password.

    `KAFKA_SECURITY_PROTOCOL` (PLAINTEXT or SASL_PLAINTEXT), `KAFKA_SASL_MECHANISM` (default SCRAM-SHA-512),
    `KAFKA_USERNAME` and `KAFKA_PASSWORD`; see `kafka_auth_for` for a service's own principal.
    """

    model_config = ConfigDict(frozen=True)

    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = None

    @property
    def sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for every aiokafka client (producer, consumer, admin)."""
        if not self.sasl:
            return {"security_protocol": self.security_protocol}
        return {
            "security_protocol": self.security_protocol,
            "sasl_mechanism": self.sasl_mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }

    def faststream_security(self) -> Any:
        """The FastStream KafkaBroker's `security` argument (None for PLAINTEXT)."""
        from faststream.security import SASLPlaintext, SASLScram256, SASLScram512

        if not self.sasl:
            return None
        kind = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256, "PLAIN": SASLPlaintext}[self.sasl_mechanism]
        return kind(username=self.username or "", password=self.password or "")

    def librdkafka_config(self) -> dict[str, str]:
        """The same for a librdkafka (confluent-kafka) client."""
        config = {"security.protocol": self.security_protocol.lower()}
        if self.sasl:
            config |= {"sasl.mechanism": self.sasl_mechanism, "sasl.username": self.username or "",
                       "sasl.password": self.password or ""}
        return config


def kafka_auth(env: os._Environ[str] | dict[str, str] = os.environ, username: str | None = None,
               password: str | None = None) -> KafkaAuth:
    """The common Kafka settings (`KAFKA_*`), with `username`/`password` in place of `KAFKA_USERNAME`/`KAFKA_PASSWORD` if given."""
    protocol = env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper()
    mechanism = env.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").upper()
    if protocol not in SECURITY_PROTOCOLS:
        raise ValueError(f"KAFKA_SECURITY_PROTOCOL={protocol}: one of {', '.join(SECURITY_PROTOCOLS)}")
    if mechanism not in SASL_MECHANISMS:
        raise ValueError(f"KAFKA_SASL_MECHANISM={mechanism}: one of {', '.join(SASL_MECHANISMS)}")
    auth = KafkaAuth(
        security_protocol=protocol, sasl_mechanism=mechanism,
        username=username if username is not None else env.get("KAFKA_USERNAME"),
        password=password if password is not None else env.get("KAFKA_PASSWORD"),
    )
    if auth.sasl and not (auth.username and auth.password):
        raise ValueError(f"KAFKA_SECURITY_PROTOCOL={protocol} needs a username and a password (KAFKA_USERNAME, KAFKA_PASSWORD)")
    return auth


def kafka_principal_for(service: str, env: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """A service's Kafka user: `<SERVICE>_KAFKA_USERNAME`, else the topic prefix and the service name (`acme.ledger`).

    The prefix keeps the principals of several deployments (companies) on one cluster apart, like their topics.
    """
    return env.get(f"{service.upper()}_KAFKA_USERNAME") or f"{env.get('TOPIC_PREFIX', '')}{service}"


def kafka_auth_for(service: str, env: os._Environ[str] | dict[str, str] = os.environ) -> KafkaAuth:
    """A service's own principal: `<SERVICE>_KAFKA_PASSWORD` (with `<SERVICE>_KAFKA_USERNAME`, default
    `kafka_principal_for`), else the common `KAFKA_USERNAME`/`KAFKA_PASSWORD` (one service per environment)."""
    password = env.get(f"{service.upper()}_KAFKA_PASSWORD")
    if password:
        return kafka_auth(env, kafka_principal_for(service, env), password)
    return kafka_auth(env)


class ServiceSettings(BaseSettings):
    """What one service process needs to know about its surroundings."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    service: str
    database_url: str
    kafka_bootstrap_servers: str
    kafka: KafkaAuth = KafkaAuth()
    topic_prefix: str
    http_host: str
    http_port: int
    http_max_body_bytes: int = 4 * 1024 * 1024
    """Largest request body a service reads (`HTTP_MAX_BODY_BYTES`); a larger one gets 413."""
    log_level: str = "INFO"
    """The lowest level logged (`LOG_LEVEL`): DEBUG, INFO, WARNING, ERROR or CRITICAL."""

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL={value}: one of {', '.join(LOG_LEVELS)}")
        return level

    @classmethod
    def from_environment(cls) -> Self:
        """The settings of the environment: the common ones as `load_settings` reads them, the subclass's by its prefix."""
        service, port = cls.model_fields["service"].default, cls.model_fields["http_port"].default
        if not isinstance(service, str) or not isinstance(port, int):
            raise TypeError(f"{cls.__name__} must give `service` and `http_port` defaults")
        return cls(**common_settings(service, port))

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
    return ServiceSettings(**common_settings(service, default_port))


def common_settings(service: str, default_port: int) -> dict[str, Any]:
    """The settings every service reads alike, from the environment."""
    env = os.environ
    prefix = service.upper()
    return dict(
        service=service,
        database_url=database_url_for(service, env),
        kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
        kafka=kafka_auth_for(service, env),
        topic_prefix=env.get("TOPIC_PREFIX", ""),
        http_host=env.get(f"{prefix}_HTTP_HOST", env.get("HTTP_HOST", "127.0.0.1")),
        http_port=int(env.get(f"{prefix}_HTTP_PORT", default_port)),
        http_max_body_bytes=int(env.get("HTTP_MAX_BODY_BYTES", 4 * 1024 * 1024)),
        log_level=env.get("LOG_LEVEL", "INFO"),
    )
