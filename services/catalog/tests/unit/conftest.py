import pytest

from catalog.adapters.memory import InMemoryCatalogUnitOfWork


@pytest.fixture
def uow() -> InMemoryCatalogUnitOfWork:
    return InMemoryCatalogUnitOfWork()
