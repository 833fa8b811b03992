"""The catalog's settings: the common ones of every service, read once."""

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="CATALOG_")

    service: str = "catalog"
    http_port: int = 8001
