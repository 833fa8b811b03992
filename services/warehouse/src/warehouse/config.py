"""Settings of the warehouse, read once from the environment."""

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class WarehouseSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="WAREHOUSE_")

    service: str = "warehouse"
    http_port: int = 8002
