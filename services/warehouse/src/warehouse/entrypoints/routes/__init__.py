"""The warehouse's HTTP routes: one module-level APIRouter per resource."""

PROBLEM = {"content": {"application/problem+json": {}}}
"""The documented body of a refused request: an RFC 9457 problem details object."""
