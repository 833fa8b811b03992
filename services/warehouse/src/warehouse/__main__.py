from servicekit.runtime import main

from warehouse.bootstrap import build_app
from warehouse.config import WarehouseSettings

main("warehouse", WarehouseSettings.from_environment, build_app)
