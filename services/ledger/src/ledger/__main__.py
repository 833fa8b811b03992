from servicekit.runtime import serve

from ledger.bootstrap import build_app, settings

serve(build_app(), settings())
