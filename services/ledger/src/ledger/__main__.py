from servicekit.runtime import main

from ledger.bootstrap import build_app, settings

main("ledger", settings, build_app)
