"""Real Chromium for end-to-end tests: Debian's browser driven by Playwright, never a downloaded one."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CHROMIUM = os.environ.get("CLAIMTRACKER_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("CLAIMTRACKER_REQUIRE_BROWSER", "").strip() not in ("", "0", "false", "no")
ROOT = Path(__file__).resolve().parents[1]
# The admin every served app has; chromium_page(base) logs in as it through the login page.
E2E_USER = "e2e-analyst"


def _add_user(database_url: str, name: str) -> None:
    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.models import User
    from tests.auth import password_hash

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        session.add(User(name=name, role="admin", password_hash=password_hash(), disabled=False))
        session.commit()
    engine.dispose()


def log_in(page, base: str, name: str = E2E_USER) -> None:
    """Through the login page, as a person would: the session cookie lands in the browser."""
    from tests.auth import PASSWORD

    page.goto(base + "/login")
    form = page.locator("form.login-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=password]").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")


def require_browser() -> None:
    """Skip when no browser is here, unless CI said the browser must be there: then fail."""
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if REQUIRED:
            pytest.fail(f"browser required (CLAIMTRACKER_REQUIRE_BROWSER) but {problem}")
        pytest.skip(problem)


def require_htmx() -> None:
    """htmx comes from the npm registry through `make install`; without it the pages cannot work."""
    if not (ROOT / "static" / "vendor" / "htmx.min.js").exists():
        pytest.skip("htmx not installed (make install)")


@contextmanager
def serve_new(tmp_path: Path, name: str = "app.db"):
    """Chromium and htmx required, the app served on a new SQLite file: (base URL, database URL)."""
    require_browser()
    require_htmx()
    url = f"sqlite:///{tmp_path / name}"
    with serve(url) as base:
        yield base, url


@contextmanager
def serve_filled(tmp_path: Path, fill, name: str = "app.db"):
    """Chromium required, the app served on a new SQLite file that `fill(session)` stocked first:
    (base URL, database URL, what fill returned)."""
    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.migrate import upgrade

    require_browser()
    url = f"sqlite:///{tmp_path / name}"
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        made = fill(session)
    engine.dispose()
    with serve(url) as base:
        yield base, url, made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(database_url: str):
    """The real app under uvicorn in its own process, as `make run` starts it."""
    from app.storage.migrate import upgrade

    upgrade(database_url)
    _add_user(database_url, E2E_USER)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMTRACKER_ACTOR": "e2e-analyst"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def chromium_page(base: str | None = None):
    """A page in headless Chromium; given the served app's base URL, already logged in there."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_default_timeout(15000)
            if base:
                log_in(page, base)
            yield page
        finally:
            browser.close()


def upload_seeds(page, base: str, names: list[str]):
    """The seed files `names` and their sources.csv chosen at once in the ingest page's upload form,
    as a person has them; waits for the batch's results and gives their block (#ingest-results)."""
    from tests.seeds import SEEDS_DIR

    page.goto(base + "/ingest")
    form = page.locator("form.ingest-files")
    form.locator("input[name=files]").set_input_files(
        [str(SEEDS_DIR / name) for name in names] + [str(SEEDS_DIR / "sources.csv")])
    form.get_by_role("button", name="Upload").click()
    results = page.locator("#ingest-results")
    results.locator(".batch-note").wait_for()
    return results
