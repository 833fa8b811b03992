from servicekit.runtime import serve

from warehouse.bootstrap import build_app
from warehouse.config import WarehouseSettings

settings = WarehouseSettings.from_environment()
serve(build_app(settings), settings)
