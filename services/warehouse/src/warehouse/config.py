"""Settings of the warehouse, read once from the environment."""

from pydantic_settings import SettingsConfigDict

from servicekit.auth import BearerAuth
from servicekit.settings import ServiceSettings


class WarehouseSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="WAREHOUSE_")

    service: str = "warehouse"
    http_port: int = 8002
    catalog_url: str = "http://127.0.0.1:8001"
    """Where the catalog's API answers (`WAREHOUSE_CATALOG_URL`): asked for an item's card only when a posting
    names an item the replica has not received yet."""
    catalog_token: str | None = None
    """The warehouse's own access token (scope catalog:read) for the catalog's API (`WAREHOUSE_CATALOG_TOKEN`)."""
    catalog_token_file: str | None = None
    """A file holding that token (`WAREHOUSE_CATALOG_TOKEN_FILE`), read on every call; it wins over `catalog_token`."""
    catalog_timeout_seconds: float = 5

    def catalog_auth(self) -> BearerAuth:
        """How the warehouse authenticates to the catalog's API."""
        return BearerAuth(self.catalog_token, self.catalog_token_file)
