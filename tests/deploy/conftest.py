"""A container engine and the built images, for the tests that run the system in containers."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.containers import ContainerEngineError, Engine, Images, build_images

REPO = Path(__file__).resolve().parents[2]
# testcontainers reads these when it is imported, before the engine fixture runs.
os.environ.update({k: v for k, v in Engine(REPO).environment().items() if k.startswith("TESTCONTAINERS_")})


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """DOCKER_HOST's engine, or podman's API service started for the session; missing, the tests fail and say why."""
    state = REPO / ".state" / f"engine-{os.getpid()}"
    started = Engine(state)
    try:
        started.start()
    except ContainerEngineError as exc:
        pytest.fail(f"these tests run the system in containers: {exc}", pytrace=False)
    saved = {name: os.environ.get(name) for name in started.environment()}
    os.environ.update(started.environment())
    try:
        yield started
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        started.stop()
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def images(engine: Engine) -> Images:
    """The services' image and the PostgreSQL and Kafka stand-ins, built from this checkout."""
    built = Images()
    try:
        build_images(built)
    except ContainerEngineError as exc:
        pytest.fail(str(exc), pytrace=False)
    return built
