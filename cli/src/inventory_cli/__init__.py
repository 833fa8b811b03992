"""`inventory`: the inventory platform's command line for people."""
