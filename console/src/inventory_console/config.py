"""The console's settings: where the four APIs are and how to reach Kafka as an operator.

Read from the environment, else from the stack file `devstack up` writes (`<state_dir>/stack.json`), else defaults.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from servicekit.settings import KafkaAuth

SERVICES = ("catalog", "warehouse", "costing", "ledger")
DEFAULT_STACK_FILE = Path(".state/local/stack.json")


class ConsoleSettings(BaseSettings):
    """`CONSOLE_<FIELD>` for the console's own fields; the Kafka ones by the names every tool of the platform reads."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", frozen=True, extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    stack_file: Path = Field(default=DEFAULT_STACK_FILE, description="Read when it exists, below the environment; "
                                                                     "set empty for none.")
    catalog_url: str = "http://127.0.0.1:8001"
    warehouse_url: str = "http://127.0.0.1:8002"
    costing_url: str = "http://127.0.0.1:8003"
    ledger_url: str = "http://127.0.0.1:8004"
    api_timeout_seconds: float = 30
    secure_cookie: bool = Field(default=False, description="Send the token cookie over HTTPS only (behind TLS).")

    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS"))
    topic_prefix: str = Field(default="", validation_alias=AliasChoices("TOPIC_PREFIX"))
    kafka_security_protocol: str = Field(default="PLAINTEXT", validation_alias=AliasChoices("KAFKA_SECURITY_PROTOCOL"))
    kafka_sasl_mechanism: str | None = Field(default=None, validation_alias=AliasChoices("KAFKA_SASL_MECHANISM"))
    kafka_username: str | None = Field(default=None, validation_alias=AliasChoices("KAFKA_USERNAME"))
    kafka_password: str | None = Field(default=None, validation_alias=AliasChoices("KAFKA_PASSWORD"))
    kafka_password_file: Path | None = Field(default=None, validation_alias=AliasChoices("KAFKA_PASSWORD_FILE"))

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, StackFileSource(settings_cls, env_settings)

    def api_url(self, service: str) -> str:
        return str(getattr(self, f"{service}_url")).rstrip("/")

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def kafka_auth(self) -> KafkaAuth:
        """The operator's principal; the password file is read on each use, so a rotated password is taken up."""
        password = self.kafka_password
        if self.kafka_password_file is not None:
            password = self.kafka_password_file.read_text().strip()
        return KafkaAuth(
            security_protocol=self.kafka_security_protocol.upper(),
            sasl_mechanism=(self.kafka_sasl_mechanism or "SCRAM-SHA-512").upper(),
            username=self.kafka_username, password=password,
        )


class StackFileSource(PydanticBaseSettingsSource):
    """The stack file of a local stack: `{"services": {name: url}, "kafka": {...}, ...}` mapped onto the fields."""

    def __init__(self, settings_cls: type[BaseSettings], env_settings: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.env_settings = env_settings

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        named = self.env_settings().get("stack_file")
        if named == "":
            return {}  # CONSOLE_STACK_FILE set empty: the environment says everything (as the launcher does)
        path = Path(named or DEFAULT_STACK_FILE)
        if not path.is_file():
            return {}
        return from_stack_file(json.loads(path.read_text()))


def from_stack_file(stack: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {f"{name}_url": url for name, url in (stack.get("services") or {}).items() if name in SERVICES}
    kafka = stack.get("kafka") or {}
    names = {"bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS", "topic_prefix": "TOPIC_PREFIX",
             "security_protocol": "KAFKA_SECURITY_PROTOCOL", "sasl_mechanism": "KAFKA_SASL_MECHANISM",
             "username": "KAFKA_USERNAME", "password_file": "KAFKA_PASSWORD_FILE"}
    found |= {alias: kafka[key] for key, alias in names.items() if kafka.get(key) is not None}
    return found
