from servicekit.runtime import serve

from costing.bootstrap import build_app, settings

serve(build_app(), settings())
