"""Hostile articles: the payloads of tests/xss_payloads.txt in every stored field are shown as text
on every page. Fast: each page's markup through BeautifulSoup (CSP header, no inline script, no
element or attribute a payload could have made), on both engines. Then in real Chromium, as shipped
(CSP on): no payload runs, no dialog opens, no CSP violation or console error, and a few payloads are
read back as visible text, including where a mention's <mark> covers one exactly."""
from __future__ import annotations

import json

import pytest

from app.main import create_app
from app.settings import Settings
from tests.browser import chromium_page, require_browser, require_htmx, serve
from tests.xss_corpus import (
    FORBIDDEN_TAGS, GROUP, MARKUP_PROBLEMS_JS, URL_ATTRS, load_payloads, markup_problems, page_paths,
    populate)

PAGE_SIZE = 500


def test_the_corpus_is_large_and_every_payload_is_observable():
    payloads = load_payloads()
    assert len(payloads) >= 100 and len(set(payloads)) == len(payloads)
    signals = ("__x", "lert", "confirm(", "prompt(", "'XSS'", "7*", "msgbox", "atob(",
               "PHNjcmlwdD53aW5kb3cuX194c3M")  # the last: base64 of a script setting __xss
    assert [p for p in payloads if not any(s in p for s in signals)] == []


def test_markup_check_finds_payloads_that_became_markup():
    """The fast check can fail: raw payloads in a page are found."""
    for payload in ("<img src=x onerror=window.__xss=1>", "<script>window.__xss=1</script>",
                    '<a href=" javascript:window.__xss=1">x</a>', "<svg/onload=alert(1)>",
                    '<div hx-on:click="window.__xss=1">x</div>'):
        assert markup_problems(f"<p>{payload}</p>"), payload
    assert markup_problems("<p>&lt;img src=x onerror=window.__xss=1&gt;</p>") == []


def test_every_page_shows_payloads_as_text_under_the_policy(app, client, app_session):
    from tests.test_web_support import soup

    # The conftest's client (whatever it needs to read pages), with every claim on one list page.
    app.state.settings.page_size = PAGE_SIZE
    corpus = populate(app_session, load_payloads())
    paths = page_paths(app, corpus)
    assert len(paths) > 60
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self';" in response.headers["Content-Security-Policy"], path
        page = soup(response)
        inline = [s for s in page.find_all("script") if not s.get("src")]
        # the only inline block is the ClaimReview JSON-LD: data, never run, and still whole JSON
        # whatever payload the claim or its reason holds
        assert [s for s in inline if s.get("type") != "application/ld+json"] == [], path
        assert all(json.loads(s.string)["@type"] == "ClaimReview" for s in inline), path
        assert markup_problems(response.text) == [], path
    shown = soup(client.get(str(app.url_path_for("claim", claim_id=corpus.marked[0][1]))))
    text = shown.select_one("blockquote.claim-text").get_text()
    assert all(p in text for p in corpus.groups[0][:4])
    # Template syntax is not evaluated: the article carrying it shows it as typed.
    article_id = corpus.article_ids[corpus.payloads.index("{{7*7}}") // GROUP]
    article = soup(client.get(str(app.url_path_for("article", article_id=article_id))))
    assert "{{7*7}}" in article.select_one("#article-text").get_text()


# --- real Chromium -----------------------------------------------------------------------------------

WATCH_JS = """() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
}"""
STATE_JS = "() => ({xss: window.__xss, title: document.title, csp: window.__csp || []})"


@pytest.fixture
def served_corpus(tmp_path, monkeypatch):
    require_browser()
    require_htmx()
    from app.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'xss.db'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, page_size=PAGE_SIZE))
    with app.state.sessionmaker() as session:
        corpus = populate(session, load_payloads())
    paths = page_paths(app, corpus)
    app.state.engine.dispose()
    monkeypatch.setenv("CLAIMTRACKER_PAGE_SIZE", str(PAGE_SIZE))
    # Read pages open without a login once accounts exist (ignored until then).
    monkeypatch.setenv("CLAIMTRACKER_PUBLIC_READ", "true")
    with serve(url) as base:
        yield base, corpus, paths


class Watcher:
    """Everything a payload that ran, or a page that broke the policy, would leave behind."""

    def __init__(self, page):
        self.page, self.dialogs, self.errors = page, [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror {e}"))
        page.on("console", self._console)
        page.add_init_script(f"({WATCH_JS})()")

    def _console(self, msg):
        if msg.type == "error" and not (msg.location or {}).get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"console {msg.text}")

    def check(self, where: str) -> None:
        state = self.page.evaluate(STATE_JS)
        problems = self.page.evaluate(MARKUP_PROBLEMS_JS, [sorted(FORBIDDEN_TAGS), sorted(URL_ATTRS)])
        assert state["xss"] is None, f"a payload ran on {where}"
        assert state["title"] != "XSS", f"a payload set the title on {where}"
        assert state["csp"] == [], f"CSP violations on {where}: {state['csp']}"
        assert self.dialogs == [], f"dialog on {where}: {self.dialogs}"
        assert self.errors == [], f"errors on {where}: {self.errors}"
        assert problems == [], f"markup from a payload on {where}: {problems}"


def test_no_payload_runs_in_chromium_on_any_page(served_corpus):
    base, corpus, paths = served_corpus
    with chromium_page(base) as page:
        watch = Watcher(page)
        for path in paths:
            response = page.goto(base + path, wait_until="load")
            assert response.status == 200, path
            watch.check(path)
        # Visible as text: the claim's text, and the article's <mark> over exactly one payload.
        article_id, claim_id, payload = corpus.marked[0]
        page.goto(base + f"/claims/{claim_id}")
        assert payload in page.locator("blockquote.claim-text").inner_text()
        page.goto(base + f"/articles/{article_id}")
        marks = page.locator("#article-text mark").all_inner_texts()
        assert payload in marks
        assert corpus.groups[0][1] in page.locator("#article-text").inner_text()
        watch.check("the spot checks")


def test_payloads_typed_into_the_forms_stay_text(served_corpus):
    """Through the browser's own forms (htmx under the CSP): paste an article, import claims."""
    base, corpus, _ = served_corpus
    payloads = corpus.payloads
    with chromium_page(base) as page:
        watch = Watcher(page)
        page.goto(base + "/ingest")
        form = page.locator("form.ingest-text")
        form.locator("textarea[name=text]").fill(
            f"A short note\n\nThe port said {payloads[0]} and {payloads[13]} on Monday.\n")
        form.locator("input[name=outlet]").fill(payloads[22][:200])
        form.locator("input[name=title]").fill(payloads[70])
        form.get_by_role("button", name="Ingest text").click()
        page.locator("#ingest-results a.article-link").wait_for()
        watch.check("the ingest results")
        page.locator("#ingest-results a.article-link").first.click()
        page.wait_for_url("**/articles/*")
        assert payloads[13] in page.locator("#article-text").inner_text()
        watch.check("the pasted article")

        page.goto(base + "/claims/import")
        form = page.locator("form.import-claims")
        form.locator("textarea[name=text]").fill(
            "claim,claimant\n" + "".join(f'"Pasted {i} {p.replace(chr(34), chr(34) * 2)}",Someone\n'
                                         for i, p in enumerate(payloads[:20])))
        form.get_by_role("button", name="Import").click()
        page.locator("#import-results .summary").wait_for()
        watch.check("the import results")
        assert f"Pasted 0 {payloads[0]}" in page.locator("ul.imported-created").inner_text()
