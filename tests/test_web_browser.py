"""Selecting article text in real Chromium: static/app.js must turn the selection into offsets into
the STORED text (here with CRLF line ends, which the browser shows as LF), and the link form with
htmx claim search must create the mention at exactly that span."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Claim, Mention
from tests.browser import chromium_page, serve_new
from tests.test_web_support import RIVER, VALLEY_POST

pytestmark = pytest.mark.e2e

TEXT = VALLEY_POST["text"].replace("\n", "\r\n")
# From inside the quote to past its end: crosses a highlighted mention and plain text.
SELECTED = "at dawn on Friday to protect the lower valley towns,” chief engineer"

SELECT_JS = """(needle) => {
  const root = document.getElementById('article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const locate = (k, end) => {
    for (let n = nodes.length - 1; n >= 0; n--) {
      const [node, at] = nodes[n];
      if (at < k || (at === k && !end)) return [node, k - at];
    }
    return [nodes[0][0], 0];
  };
  const i = all.indexOf(needle);
  const [sn, so] = locate(i, false), [en, eo] = locate(i + needle.length, true);
  const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


@pytest.fixture
def served(tmp_path):
    with serve_new(tmp_path, "select.db") as served:
        yield served


def _upload(page, base: str, path: Path) -> None:
    page.goto(base + "/ingest")
    form = page.locator("form.ingest-files")
    form.locator("input[name=files]").set_input_files(str(path))
    form.locator("input[name=outlet]").fill("Valley Post")
    form.get_by_role("button", name="Upload").click()
    page.locator("#ingest-results a.article-link").wait_for()


def test_selection_fills_exact_offsets_and_links_to_a_searched_claim(served, tmp_path):
    base, db_url = served
    path = tmp_path / "valley.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    with chromium_page(base) as page:
        _upload(page, base, path)
        page.locator("#ingest-results a.article-link").click()
        page.wait_for_url("**/articles/*")
        page.evaluate(SELECT_JS, SELECTED)
        start = TEXT.index(SELECTED)
        assert page.locator("#link-start").input_value() == str(start)
        assert page.locator("#link-end").input_value() == str(start + len(SELECTED))

        page.get_by_role("searchbox").fill("flood gates")
        choice = page.locator("#choices input[name=claim_id]:not([value=''])")
        choice.first.wait_for()
        choice.first.check()
        page.locator("#link-form select[name=stance]").select_option("discusses")
        page.get_by_role("button", name="Link", exact=True).click()
        page.locator(".flash a").wait_for()

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        mention = session.scalar(select(Mention).where(Mention.origin == "analyst"))
        claim = session.get(Claim, mention.claim_id)
        assert (mention.start, mention.end) == (start, start + len(SELECTED))
        assert mention.excerpt == SELECTED and mention.stance == "discusses"
        assert claim.text == RIVER
    engine.dispose()


# Written for this test: characters beyond U+FFFF (two UTF-16 units each in JavaScript, one code
# point each in the stored text) before the span that is selected.
EMOJI_TEXT = ("Sea wall works 🌊🌊\n\n"
              "“The sea wall on Pier Road will be raised by two metres before winter 🚧,” harbour "
              "master Lena Ortiz said on Tuesday. 𝕏 Work starts on Monday at the north end.\n")
AFTER_EMOJI = "Work starts on Monday"


def test_paste_form_clears_and_selection_after_emoji_counts_code_points(served, tmp_path):
    """The paste form empties the article's own fields after it went in (outlet and date stay), and
    a selection after emoji fills the offsets the server counts (code points, not UTF-16 units)."""
    base, db_url = served
    with chromium_page(base) as page:
        page.goto(base + "/ingest")
        form = page.locator("form.ingest-text")
        form.locator("input[name=outlet]").fill("Harbour Star")
        form.locator("input[name=title]").fill("Sea wall to rise")
        form.locator("input[name=author]").fill("Ida Quist")
        form.locator("textarea[name=text]").fill(EMOJI_TEXT)
        form.get_by_role("button", name="Ingest text").click()
        page.locator("#ingest-results a.article-link").wait_for()
        values = {name: form.locator(f"[name={name}]").input_value()
                  for name in ("title", "author", "text", "outlet")}
        assert values == {"title": "", "author": "", "text": "", "outlet": "Harbour Star"}
        assert page.locator("#ingest-results td.name").inner_text() == "Sea wall to rise"

        page.locator("#ingest-results a.article-link").click()
        page.wait_for_url("**/articles/*")
        page.evaluate(SELECT_JS, AFTER_EMOJI)
        start = EMOJI_TEXT.index(AFTER_EMOJI)
        assert page.locator("#link-start").input_value() == str(start)
        assert page.locator("#link-end").input_value() == str(start + len(AFTER_EMOJI))
        shot = os.environ.get("CLAIMTRACKER_SCREENSHOT_DIR")
        if shot:
            page.screenshot(path=str(Path(shot) / "emoji-selection.png"), full_page=True)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(Article.text)) == EMOJI_TEXT
    engine.dispose()


@pytest.mark.parametrize("path, ready", [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_render_offline_without_policy_errors(served, path, ready):
    """/docs and /redoc load everything from this server (any other request is refused here, as
    on a machine without internet) and run under their policy. The one refusal allowed is ReDoc's
    sidebar logo, hard-coded to its CDN in the bundle: the policy blocks it before any request."""
    base, _ = served
    outside, errors = [], []
    with chromium_page() as page:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                   else (outside.append(route.request.url), route.abort()))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + path)
        page.locator(ready).first.wait_for()
        assert page.get_by_text("Recent articles").count() > 0
        shot = os.environ.get("CLAIMTRACKER_SCREENSHOT_DIR")
        if shot:
            page.screenshot(path=str(Path(shot) / f"{path.strip('/')}.png"))
    logo = [e for e in errors if "https://cdn.redoc.ly/redoc/logo-mini.svg" in e and "Content Security Policy" in e]
    assert outside == [] and [e for e in errors if e not in logo] == []
