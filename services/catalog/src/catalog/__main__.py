from servicekit.runtime import serve

from catalog.bootstrap import build_app, settings

serve(build_app(), settings())
