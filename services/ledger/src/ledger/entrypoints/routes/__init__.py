"""HTTP routes of the ledger, one module per resource: requests become use-case calls, nothing more."""

from fastapi import APIRouter

from ledger.entrypoints.routes import accounts, general_ledger, gl_setup, posting_setup, reconciliation

ROUTERS: list[APIRouter] = [
    accounts.router, posting_setup.router, general_ledger.router, reconciliation.router, gl_setup.router,
]
