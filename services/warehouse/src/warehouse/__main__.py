from servicekit.runtime import serve

from warehouse.bootstrap import build_app, settings

serve(build_app(), settings())
