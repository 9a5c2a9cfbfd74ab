"""Refusals are shown in real Chromium with htmx: a pasted non-Latin article over 1 MiB reaches the
ingest (Starlette's default field cap made it a bare 400 that htmx showed as nothing), and a refusal
from the app's error handler (here the input check's 422) lands in the page's #flash area."""
from __future__ import annotations

import pytest

from tests.browser import chromium_page, serve_new

pytestmark = pytest.mark.e2e

SET_TEXT = """([selector, text]) => {
  const form = document.querySelector(selector);
  form.querySelector('textarea[name=text]').value = text;
  form.querySelectorAll('[required]').forEach((el) => el.removeAttribute('required'));
}"""


@pytest.fixture
def served(tmp_path):
    with serve_new(tmp_path, "inputs.db") as (base, _):
        yield base


def test_every_refusal_of_the_paste_form_is_shown(served):
    base = served
    big = "Пристань закрыта для грузов до весны. " * 18_000   # 1.3 MB of UTF-8
    with chromium_page(base) as page:
        page.goto(base + "/ingest")
        page.evaluate(SET_TEXT, ["form.ingest-text", big])
        page.get_by_role("button", name="Ingest text").click()
        row = page.locator("#ingest-results tr.result[data-status=failed]")
        row.wait_for()
        assert "missing outlet" in row.inner_text()

        page.evaluate(SET_TEXT, ["form.ingest-text", "A\u0000B"])
        page.locator("form.ingest-text input[name=outlet]").fill("Wire")
        page.get_by_role("button", name="Ingest text").click()
        flash = page.locator("#flash p.flash.error")
        flash.wait_for()
        assert "NUL" in flash.inner_text()
        assert page.locator("#ingest-results").count() == 1   # the form's own target is still there
