"""The page cache (app/web/page_cache.py): a reader's claims list, search and claim pages are served
again until the store changes, and a change committed by any connection is on the next answer, on
SQLite (data_version) and PostgreSQL (the transaction snapshot). A logged-in reader's pages are kept
for that user and role only, each with the browser's own form token."""
from __future__ import annotations

import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy import event, update
from starlette.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.storage.models import Claim
from app.domain import users
from app.web.access import SESSION_COOKIE
from app.web.csrf import CSRF_COOKIE, CSRF_FIELD
from app.web.page_cache import PostgresVersion, StoreVersion, store_version
from tests.auth import session_cookie
from tests.test_web_support import RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup

HX = {"HX-Request": "true"}


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, actor="tester", public_read=True, page_cache_mb=4)


@pytest.fixture
def ids(client, app_session) -> dict:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS)
    return {"river": claim_id_for(app_session, RIVER)}


def _statements(app) -> list[str]:
    seen: list[str] = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def _served_again_without_sql(app, fetch) -> bool:
    """Whether a repeat of `fetch()` ran no statement through the app's engine. PostgreSQL's version
    is the server's snapshot, so a commit anywhere on the server between the two requests (another
    test run sharing it) rightly costs one more computation: a few tries before answering no."""
    for _ in range(5):
        fetch()
        seen = _statements(app)
        fetch()
        if not seen:
            return True
    return False


def _listed(response) -> list[int]:
    return [int(tr["data-claim-id"]) for tr in soup(response).select("tr.claim-row")]


def _write_outside_the_app(app, sql: str, claim_id: int) -> None:
    """A write through a connection of no SQLAlchemy engine at all, as another process would make."""
    url = app.state.engine.url
    if url.get_backend_name() == "sqlite":
        con = sqlite3.connect(url.database)
        con.execute(sql.replace("%s", "?"), (claim_id,))
        con.commit()
        con.close()
    else:
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False)) as con:
            con.execute(sql, (claim_id,))


def test_an_anonymous_search_is_served_again_without_the_database(app, anon_client, ids):
    first = anon_client.get("/claims", params={"q": "flood gates"}, headers=HX)
    assert _listed(first) == [ids["river"]]
    again = anon_client.get("/claims", params={"q": "flood gates"}, headers=HX)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["vary"] == "HX-Request"
    assert _served_again_without_sql(app, lambda: anon_client.get("/claims", params={"q": "flood gates"},
                                                                    headers=HX))


def test_a_write_by_another_connection_is_on_the_next_answer(app, anon_client, app_session, ids):
    assert _listed(anon_client.get("/claims", params={"q": "sluice"}, headers=HX)) == []
    assert _listed(anon_client.get("/claims", params={"q": "flood gates"})) == [ids["river"]]
    # Through the app's engine (another pooled connection), as an analyst's edit would be.
    app_session.execute(update(Claim).where(Claim.id == ids["river"])
                        .values(text=RIVER.replace("flood gates", "sluice gates")))
    app_session.commit()
    assert _listed(anon_client.get("/claims", params={"q": "sluice"}, headers=HX)) == [ids["river"]]
    assert _listed(anon_client.get("/claims", params={"q": "flood gates"})) == []
    assert _listed(anon_client.get("/claims", params={"q": "sluice"}, headers=HX)) == [ids["river"]]  # kept
    _write_outside_the_app(app, "UPDATE claims SET status = 'false' WHERE id = %s", ids["river"])
    listed = anon_client.get("/claims", params={"q": "sluice"}, headers=HX)
    assert soup(listed).select_one("tr.claim-row .badge").get_text(strip=True) == "false"


def test_a_write_through_the_app_is_on_the_next_answer(app, client, anon_client, ids):
    assert _listed(anon_client.get("/claims", params={"status": "false"}, headers=HX)) == []
    changed = client.post(f"/claims/{ids['river']}/status", data={"status": "false", "reason": "checked"})
    assert changed.status_code in (200, 303), changed.text
    assert _listed(anon_client.get("/claims", params={"status": "false"}, headers=HX)) == [ids["river"]]


def test_each_browser_gets_its_own_csrf_token_from_a_kept_page(app, ids):
    tokens = []
    for _ in range(2):
        with TestClient(app, follow_redirects=False) as browser:
            page = browser.get("/claims", params={"q": "flood"})
            token = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text).group(1)
            assert page.cookies.get(CSRF_COOKIE) == token
            again = browser.get("/claims", params={"q": "flood"})       # now with the cookie
            assert re.search(r'"X-CSRF-Token": "([^"]+)"', again.text).group(1) == token
            assert CSRF_COOKIE not in again.cookies or again.cookies[CSRF_COOKIE] == token
            tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_logged_in_reader_is_never_served_the_anonymous_page(app, client, anon_client, ids):
    anon = anon_client.get("/claims", params={"q": "flood"})
    assert "Suggestions" not in soup(anon).select_one("nav").get_text()
    seen = _statements(app)
    mine = client.get("/claims", params={"q": "flood"})
    assert "Suggestions" in soup(mine).select_one("nav").get_text()     # an analyst's navigation
    assert seen, "a logged-in request runs its own queries"


@pytest.mark.parametrize("suffix", ["", "/sources", "/sources.json"])
def test_a_claim_page_is_kept_until_a_stance_changes(app, client, anon_client, ids, suffix):
    url = f"/claims/{ids['river']}{suffix}"
    first = anon_client.get(url)
    assert first.status_code == 200
    assert anon_client.get(url).content == first.content
    assert _served_again_without_sql(app, lambda: anon_client.get(url))
    mention = client.get(f"/api/v1/claims/{ids['river']}/sources").json()["sources"][0]
    changed = client.patch(f"/api/v1/mentions/{mention['mention_id']}", json={"stance": "contradicts"})
    assert changed.status_code == 200, changed.text
    after = anon_client.get(url)
    assert after.content != first.content
    if suffix == "/sources.json":
        assert mention["outlet"]["name"] in after.json()["spread"]["outlets"]["contradicts"]
    assert anon_client.get(url).content == after.content


def test_more_mentions_is_kept_until_a_stance_changes(app, client, anon_client, ids):
    """The claim page's "More mentions" (htmx) is kept as the claim page is; opened without htmx
    it is a redirect to the claim page, never kept."""
    url = f"/claims/{ids['river']}/mentions"
    first = anon_client.get(url, params={"page": 1}, headers=HX)
    assert first.status_code == 200 and first.headers["vary"] == "HX-Request"
    assert anon_client.get(url, params={"page": 1}, headers=HX).content == first.content
    assert _served_again_without_sql(app, lambda: anon_client.get(url, params={"page": 1}, headers=HX))
    assert anon_client.get(url, params={"page": 1}).status_code == 303
    mention = client.get(f"/api/v1/claims/{ids['river']}/sources").json()["sources"][0]
    contradicting = 'section[data-stance="contradicts"] .outlet-block'
    assert soup(first).select(contradicting) == []
    changed = client.patch(f"/api/v1/mentions/{mention['mention_id']}", json={"stance": "contradicts"})
    assert changed.status_code == 200, changed.text
    after = anon_client.get(url, params={"page": 1}, headers=HX)
    assert after.status_code == 200 and soup(after).select(contradicting)
    assert anon_client.get(url, params={"page": 1}, headers=HX).content == after.content


def test_other_claim_paths_are_not_kept(app, anon_client, ids):
    for url in (f"/claims/{ids['river']}/sources.csv", f"/claims/{ids['river']}/feed.atom"):
        anon_client.get(url)
        seen = _statements(app)
        anon_client.get(url)
        assert seen, url
        seen.clear()


def test_without_public_read_only_logged_in_pages_are_kept(database_url):
    app = create_app(Settings(database_url=database_url, page_cache_mb=4, public_read=False))
    try:
        with TestClient(app, follow_redirects=False) as anon:
            assert anon.get("/claims").status_code == 303
            assert anon.get("/claims").status_code == 303
            with _reader(app, "viewer1", "viewer") as viewer:
                assert viewer.get("/claims").status_code == 200
                assert _served_again_without_sql(app, lambda: viewer.get("/claims"))
            assert anon.get("/claims").status_code == 303    # never the viewer's kept page
    finally:
        app.state.engine.dispose()


def test_the_store_version_follows_every_commit(database_url, app_session, ids):
    version = store_version(database_url)
    assert isinstance(version, StoreVersion if database_url.startswith("sqlite") else PostgresVersion)
    before = version.current()
    assert before is not None
    app_session.execute(update(Claim).where(Claim.id == ids["river"]).values(status="disputed"))
    if database_url.startswith("sqlite"):   # PostgreSQL's snapshot moves with any commit on the server
        assert version.current() == before                 # not yet committed
    app_session.commit()
    assert version.current() != before


def test_a_postgresql_server_that_cannot_be_asked_keeps_nothing():
    version = PostgresVersion("postgresql://nobody@127.0.0.1:1/none", connect_timeout=1)
    assert version.current() is None
    assert store_version("sqlite://") is None              # in memory: no other connection shares it



def test_readers_asking_at_once_get_one_computation(app, anon_client, ids, database_url, monkeypatch):
    """Eight readers open a claim page just after a write, all asking while it is computed: one
    computes it, the others wait for its answer (without that, each of the eight computed it).

    Nothing here depends on the machine's speed: the computation holds until all eight have asked
    (not a sleep that slow threads may outlast), and every reader is given the version the first
    one read. On PostgreSQL the version is the server's snapshot, which any commit on the server
    moves (another test run sharing it): readers that ask a few milliseconds apart then rightly
    each compute their own (a flake under load, 8 computations). That the version follows every
    commit is test_the_store_version_follows_every_commit's."""
    url = f"/claims/{ids['river']}"
    readers = 8
    version_class = StoreVersion if database_url.startswith("sqlite") else PostgresVersion
    read_version = version_class.current
    versions: list = []
    all_asked = threading.Event()

    def current(self):                  # each reader asks once, on the event loop, before it looks
        versions.append(versions[0] if versions else read_version(self))
        if len(versions) == readers:
            all_asked.set()
        return versions[0]

    claim_reads, held = [], []

    def held_claim_read(conn, cursor, statement, *args):
        if statement.startswith("SELECT claims.id"):
            claim_reads.append(1)
            held.append(all_asked.wait(timeout=60))   # a guard against hanging, not a measure

    with app.state.engine.begin() as con:   # a write: every reader below misses the kept page
        con.execute(update(Claim).where(Claim.id == ids["river"]).values(status="verified"))
    monkeypatch.setattr(version_class, "current", current)
    event.listen(app.state.engine, "before_cursor_execute", held_claim_read)
    with ThreadPoolExecutor(readers) as pool:
        answers = list(pool.map(lambda _: anon_client.get(url), range(readers)))
    assert all(held), "the readers did not all ask while the page was computed"
    assert len(versions) == readers
    assert {a.status_code for a in answers} == {200}
    pages = {a.text.replace(a.cookies[CSRF_COOKIE], "TOKEN") for a in answers}   # each its own token
    assert len(pages) == 1 and "verified" in pages.pop()
    assert claim_reads == [1], claim_reads


# --- Logged-in readers ------------------------------------------------------------------------------

def _reader(app, name: str, role: str) -> TestClient:
    """A browser logged in as `name`, with a form token of its own in its cookie and no CSRF header:
    a form post must carry the token the page gave it."""
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, session_cookie(app, name, role))
    browser.cookies.set(CSRF_COOKIE, f"token-of-{name}-{role}")
    return browser


def _tokens(response) -> set[str]:
    """Every form token on a page: htmx's header on <body> and each form's hidden field."""
    page = soup(response)
    found = {i["value"] for i in page.select(f'input[name="{CSRF_FIELD}"]')}
    body = page.select_one("body")
    if body is not None and body.get("hx-headers"):
        found.add(re.search(r'"X-CSRF-Token": "([^"]+)"', body["hx-headers"]).group(1))
    return found


def _account(response) -> str:
    link = soup(response).select_one(".account-link")
    return link.get_text(" ", strip=True) if link else ""


def _forms(response) -> set[str]:
    page = soup(response)
    return {f["action"].rsplit("/", 1)[-1] for f in page.select("#claim form[action]")}


def test_an_analysts_kept_page_carries_their_own_token_and_its_forms_work(app, ids):
    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana:
        first = ana.get(url)
        assert first.status_code == 200 and _account(first) == "ana (analyst)"
        assert _served_again_without_sql(app, lambda: ana.get(url))
        kept = ana.get(url)
        assert _tokens(kept) == {"token-of-ana-analyst"}
        assert {"tags", "status", "stance"} <= _forms(kept)
        form = soup(kept).select_one("form.tag-form")
        token = form.select_one(f'input[name="{CSRF_FIELD}"]')["value"]
        tagged = ana.post(form["action"], data={CSRF_FIELD: token, "tag": "kept-page-tag"})
        assert tagged.status_code == 303, tagged.text
        after = ana.get(url)
        assert "kept-page-tag" in soup(after).select_one(".tags").get_text()
        assert _tokens(after) == {"token-of-ana-analyst"}


def test_a_browser_without_a_token_gets_a_new_one_on_a_kept_page(app, ids):
    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana:
        ana.get(url)
        assert _served_again_without_sql(app, lambda: ana.get(url))
        for cookie in [c for c in ana.cookies.jar if c.name == CSRF_COOKIE]:
            ana.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
        fresh = ana.get(url)
        token = fresh.cookies.get(CSRF_COOKIE)
        assert token and token != "token-of-ana-analyst" and _tokens(fresh) == {token}


def test_two_users_never_see_each_others_pages(app, ids):
    url = f"/claims/{ids['river']}"
    with (_reader(app, "ana", "analyst") as ana, _reader(app, "bob", "analyst") as bob,
          _reader(app, "vic", "viewer") as vic, TestClient(app) as anon):
        for _ in range(3):   # computed, then kept: each reader always gets their own
            for browser, name, role in ((ana, "ana", "analyst"), (bob, "bob", "analyst"),
                                        (vic, "vic", "viewer")):
                page = browser.get(url)
                assert _account(page) == f"{name} ({role})"
                assert _tokens(page) == {f"token-of-{name}-{role}"}
                assert bool(_forms(page)) == (role == "analyst")
            page = anon.get(url)
            assert _account(page) == "" and not _forms(page)
        for browser in (ana, bob, vic, anon):
            assert _served_again_without_sql(app, lambda: browser.get(url))


def test_an_analysts_change_is_on_their_next_page(app, ids):
    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana:
        token = {CSRF_FIELD: "token-of-ana-analyst"}
        ana.get(url)
        assert _served_again_without_sql(app, lambda: ana.get(url))
        mention = soup(ana.get(url)).select_one("#claim .mention")
        form = mention.select_one("form[action$='/stance']")
        assert "stance-contradicts" not in mention["class"]
        changed = ana.post(form["action"], data={**token, "stance": "contradicts"})
        assert changed.status_code == 303, changed.text
        after = ana.get(url)
        moved = soup(after).select_one(f"#claim #{mention['id']}")
        assert "stance-contradicts" in moved["class"]
        # An htmx change answers the claim block with "Saved."; the next page is without it.
        saved = ana.post(f"/claims/{ids['river']}/tags", data={**token, "tag": "htmx-tag"}, headers=HX)
        assert saved.status_code == 200
        assert [p.get_text(strip=True) for p in soup(saved).select(".flash")] == ["Saved."]
        for headers in (HX, {}):
            again = soup(ana.get(url, headers=headers))
            assert again.select(".flash") == [] and "htmx-tag" in again.select_one(".tags").get_text()
        assert _served_again_without_sql(app, lambda: ana.get(url, headers=HX))


def test_a_demoted_analyst_no_longer_sees_analyst_forms(app, client, ids):
    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana:
        assert {"tags", "status", "stance"} <= _forms(ana.get(url))
        assert _served_again_without_sql(app, lambda: ana.get(url))
        demoted = client.post("/admin/users/ana", data={"role": "viewer"})
        assert demoted.status_code in (200, 303), demoted.text
        page = ana.get(url)
        assert _account(page) == "ana (viewer)" and not _forms(page)
        assert _served_again_without_sql(app, lambda: ana.get(url))
        assert not _forms(ana.get(url))


def test_a_disabled_or_logged_out_user_gets_the_anonymous_page(app, client, ids):
    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana, _reader(app, "bob", "analyst") as bob:
        cookie = ana.cookies[SESSION_COOKIE]
        ana.get(url)
        bob.get(url)
        assert _served_again_without_sql(app, lambda: ana.get(url))
        out = ana.post("/logout", data={CSRF_FIELD: "token-of-ana-analyst"})
        assert out.status_code == 303, out.text
        with TestClient(app) as stolen:          # the old cookie, replayed after the logout
            stolen.cookies.set(SESSION_COOKIE, cookie)
            assert _account(stolen.get(url)) == "" and not _forms(stolen.get(url))
        assert _account(bob.get(url)) == "bob (analyst)"
        client.post("/admin/users/bob", data={"role": "analyst", "disabled": "on"})
        assert _account(bob.get(url)) == "" and not _forms(bob.get(url))


def test_a_session_that_ends_while_the_store_is_unchanged_is_not_served_its_page(app, ids, monkeypatch):
    """No write marks a session's end: the kept reader is checked against the session's end time."""
    from datetime import timedelta

    from app.storage import models
    from app.web import page_cache

    url = f"/claims/{ids['river']}"
    with _reader(app, "ana", "analyst") as ana:
        assert _account(ana.get(url)) == "ana (analyst)"
        assert _served_again_without_sql(app, lambda: ana.get(url))
        later = models.utcnow() + timedelta(hours=2)          # the test session lasts one hour
        monkeypatch.setattr(page_cache, "utcnow", lambda: later)
        monkeypatch.setattr(users, "utcnow", lambda: later)
        page = ana.get(url)
        assert _account(page) == "" and not _forms(page)
