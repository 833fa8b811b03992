"""Where the stack is: `stack.json` (written by `devstack up`), overridden by the environment.

`INVENTORY_STACK` names the file (default: the repository's `.state/local/stack.json`);
`INVENTORY_<SERVICE>_URL`, `INVENTORY_TOKEN`, `TOPIC_PREFIX` and the `KAFKA_*` variables win over it.
"""

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicekit.settings import KafkaAuth, kafka_auth

SERVICES = ("catalog", "warehouse", "costing", "ledger")
DEFAULT_STACK_FILE = Path(__file__).resolve().parents[3] / ".state" / "local" / "stack.json"


class CliError(Exception):
    """Ends the command with this message and exit code 1, no traceback."""


@dataclass(frozen=True)
class Target:
    stack_file: Path
    stack: dict[str, Any] | None
    urls: dict[str, str]
    token: str | None
    auth_dir: Path | None
    env: Mapping[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        url = self.urls.get(service)
        if not url:
            where = f"no stack at {self.stack_file}" if self.stack is None else f"{self.stack_file} names none"
            raise CliError(f"no address for the {service} API ({where}): start the stack with `make up`, "
                           f"or set INVENTORY_{service.upper()}_URL")
        return url.rstrip("/")

    def access_token(self) -> str:
        """INVENTORY_TOKEN, else a short-lived token of the local stack's development issuer."""
        if self.token:
            return self.token
        if self.auth_dir is not None and (self.auth_dir / "signing-key.pem").exists():
            return mint_token(self.auth_dir, ttl=600)
        raise CliError("no access token: set INVENTORY_TOKEN (for the local stack: "
                       "export INVENTORY_TOKEN=$(.venv/bin/inventory token))")

    @property
    def topic_prefix(self) -> str:
        return self.env.get("TOPIC_PREFIX", self._kafka.get("topic_prefix") or "")

    @property
    def bootstrap_servers(self) -> str:
        servers = self.env.get("KAFKA_BOOTSTRAP_SERVERS") or self._kafka.get("bootstrap_servers")
        if not servers:
            raise CliError(f"no Kafka address (no stack at {self.stack_file}): start the stack with `make up`, "
                           "or set KAFKA_BOOTSTRAP_SERVERS")
        return str(servers)

    def kafka_auth(self) -> KafkaAuth:
        """KAFKA_* from the environment, each falling back on the stack file (its password from `password_file`)."""
        kafka = self._kafka
        env = {"KAFKA_SECURITY_PROTOCOL": kafka.get("security_protocol") or "PLAINTEXT",
               "KAFKA_SASL_MECHANISM": kafka.get("sasl_mechanism") or "SCRAM-SHA-512",
               "KAFKA_USERNAME": kafka.get("username") or ""}
        password_file = kafka.get("password_file")
        if password_file and "KAFKA_PASSWORD" not in self.env:
            try:
                env["KAFKA_PASSWORD"] = Path(password_file).read_text().strip()
            except OSError as exc:
                raise CliError(f"cannot read the Kafka password in {password_file}: {exc.strerror}") from None
        env.update({k: v for k, v in self.env.items() if k.startswith("KAFKA_")})
        try:
            return kafka_auth({k: v for k, v in env.items() if v})
        except ValueError as exc:
            raise CliError(str(exc)) from None

    @property
    def _kafka(self) -> dict[str, Any]:
        return dict((self.stack or {}).get("kafka") or {})


def find(env: Mapping[str, str] = os.environ) -> Target:
    stack_file = Path(env.get("INVENTORY_STACK") or DEFAULT_STACK_FILE)
    stack: dict[str, Any] | None = None
    if stack_file.is_file():
        try:
            stack = json.loads(stack_file.read_text())
        except (OSError, ValueError) as exc:
            raise CliError(f"cannot read {stack_file}: {exc}") from None
    services = dict((stack or {}).get("services") or {})
    urls = {service: env.get(f"INVENTORY_{service.upper()}_URL") or services.get(service) or "" for service in SERVICES}
    auth_dir = (stack or {}).get("auth_dir")
    return Target(stack_file, stack, urls, env.get("INVENTORY_TOKEN") or None, Path(auth_dir) if auth_dir else None,
                  dict(env))


def mint_token(
    auth_dir: Path, scopes: list[str] | None = None, ttl: int = 3600, responsibility_center: str | None = None
) -> str:
    """A token of the local stack's development issuer (the launcher's, so only where it is installed)."""
    if not (auth_dir / "signing-key.pem").exists():
        raise CliError(f"no development issuer in {auth_dir}: is the local stack up (`make up`)?")
    try:
        from devstack.issuer import DevIssuer
        from servicekit.auth import SCOPES
    except ImportError:
        raise CliError("minting a token needs the local launcher (inventory-devstack): `make dev`") from None
    unknown = [s for s in scopes or [] if s not in SCOPES]
    if unknown:
        raise CliError(f"unknown scope {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    return str(DevIssuer(auth_dir).token(scopes or list(SCOPES), ttl=ttl, subject=os.environ.get("USER") or "developer",
                                         responsibility_center=responsibility_center))
