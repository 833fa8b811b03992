"""The settings of costing: the common ones of every service and costing's own, read once from the environment."""

from pydantic_settings import SettingsConfigDict

from servicekit.auth import BearerAuth
from servicekit.settings import ServiceSettings


class CostingSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="COSTING_")

    service: str = "costing"
    http_port: int = 8003
    warehouse_url: str = "http://127.0.0.1:8002"
    """Where the warehouse's API answers (`COSTING_WAREHOUSE_URL`): costing reads its quantities there to reconcile,
    never on the posting path."""
    warehouse_token: str | None = None
    """Costing's own access token (scope inventory:read) for the warehouse's API (`COSTING_WAREHOUSE_TOKEN`)."""
    warehouse_token_file: str | None = None
    """A file holding that token (`COSTING_WAREHOUSE_TOKEN_FILE`), read on every call so that whatever renews it
    outside the process is picked up; it wins over `warehouse_token`."""
    reconcile_seconds: float = 5
    """Seconds between two quantity reconciliations (`COSTING_RECONCILE_SECONDS`)."""
    reconcile_settle_seconds: float = 30
    """How long after the warehouse recorded an entry costing must have it (`COSTING_RECONCILE_SETTLE_SECONDS`):
    later entries are not compared yet."""

    def warehouse_auth(self) -> BearerAuth:
        return BearerAuth(self.warehouse_token, self.warehouse_token_file)
