from servicekit.runtime import main

from catalog.bootstrap import build_app, settings

main("catalog", settings, build_app)
