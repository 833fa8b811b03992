"""Helpers of the console's browser tests (tests/console/): signing in and keeping screenshots."""

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Page

T = TypeVar("T")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or Path(__file__).parent / "console" / "artifacts")


def sign_in(page: Page, token: str) -> None:
    page.goto("/sign-in")
    page.fill("#token", token)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def screenshot(page: Page, name: str) -> Path:
    """Kept as a test artifact: what each screen looked like."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def apart(call: Callable[[], T]) -> T:
    """Run `call` in a thread of its own: Playwright's sync API keeps its event loop running in this thread, and the
    test helpers that read Kafka or wait for quiet start loops of their own (asyncio.run refuses to nest)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()
