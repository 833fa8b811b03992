from servicekit.runtime import main

from costing.bootstrap import build_app, settings

main("costing", settings, build_app)
