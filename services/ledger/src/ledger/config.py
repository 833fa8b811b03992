"""The ledger's settings: the common ones of every service and its own, `LEDGER_*`, read once."""

from pydantic_settings import SettingsConfigDict

from servicekit.auth import BearerAuth
from servicekit.settings import ServiceSettings


class LedgerSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="LEDGER_")

    service: str = "ledger"
    http_port: int = 8004
    costing_url: str = "http://127.0.0.1:8003"
    """Where costing's API answers (`LEDGER_COSTING_URL`): the ledger reads inventory value there to reconcile,
    never on the posting path."""
    costing_token: str | None = None
    """The ledger's own access token (scope costing:read) for costing's API (`LEDGER_COSTING_TOKEN`)."""
    costing_token_file: str | None = None
    """A file holding that token (`LEDGER_COSTING_TOKEN_FILE`), read on every call so that whatever renews it
    outside the process is picked up; it wins over `costing_token`."""
    reconcile_seconds: float = 5
    """Pause between two rounds of the continuous reconciliation (`LEDGER_RECONCILE_SECONDS`)."""

    def costing_auth(self) -> BearerAuth:
        """How the ledger authenticates to costing's API."""
        return BearerAuth(self.costing_token, self.costing_token_file)
