"""The console started against the session's stack, driven by Playwright in Debian's Chromium (never a downloaded one)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from console_pages import sign_in
from devstack.stack import StackError
from support import System

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def console(system: System) -> Iterator[str]:
    """The console's address: a process of its own, started by the launcher as `devstack up` starts it."""
    try:
        system.stack.start_console()
    except StackError as exc:
        pytest.fail(f"the console did not start: {exc}", pytrace=False)
    assert system.stack.console_url is not None
    try:
        yield system.stack.console_url
    finally:
        system.stack.stop_console()


@pytest.fixture(scope="module")
def browser(console: str) -> Iterator[Browser]:
    """Started after the stack and the console: Playwright's loop then runs in this thread (see `apart`), and only
    for the module's tests: the asyncio tests of later modules need the thread without a running loop."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser, console: str) -> Iterator[BrowserContext]:
    opened = browser.new_context(base_url=console, accept_downloads=True, viewport={"width": 1360, "height": 900})
    opened.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def page(context: BrowserContext, system: System) -> Page:
    """A page signed in with a real token of every scope, through the sign-in form."""
    opened = context.new_page()
    sign_in(opened, system.token)
    return opened
