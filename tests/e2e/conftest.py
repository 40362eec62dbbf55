import threading

import pytest


@pytest.fixture
def browser(chromium_path):
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=args)
        yield instance
        instance.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (390 px wide), in an English-language browser: the portal must still be Chinese."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def query(fn):
    """Run an ORM read in its own thread while Playwright's event loop owns this one.

    Django refuses synchronous queries where an event loop runs, and a connection opened there would
    outlive the test; a short-lived thread with its own connection avoids both.
    """
    from django.db import connection

    result = {}

    def target():
        try:
            result["value"] = fn()
        except Exception as error:  # re-raised in the test's thread
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
