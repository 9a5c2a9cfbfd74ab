"""The audit log page and its CSV export: filters, keyset pages, links to what changed, escaping, and
CSV cells that a spreadsheet cannot run as formulas (here and in the claim sources export)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from app.domain.articles import ingest_article
from app.domain.mentions import set_stance
from app.domain.review import add_tag, edit_text, set_status
from app.storage.models import Event, Mention
from app.web.csv_export import safe_cell
from tests.factories import GAZETTE, HERALD
from tests.test_web_support import soup

HX = {"HX-Request": "true"}
DAY = datetime(2024, 5, 2, 12, 0, tzinfo=timezone.utc)


def _event(session, actor="ana", action="claim.status", at=DAY, **values) -> Event:
    event = Event(actor=actor, action=action, entity=values.pop("entity", "claim"),
                  entity_id=values.pop("entity_id", 1), claim_id=values.pop("claim_id", 1),
                  at=at, before=values.pop("before", None), after=values.pop("after", None))
    session.add(event)
    return event


def _rows(page) -> list[dict]:
    return [{"id": int(tr["data-event-id"]), "who": tr.select_one(".who").get_text(),
             "action": tr.select_one(".what").get_text(strip=True), "entity": tr.select_one(".entity")}
            for tr in page.select("tr.event-row")]


@pytest.fixture
def changed(app_session) -> dict:
    """Two articles ingested, then an analyst's status, text, tag and stance changes."""
    herald_id = ingest_article(app_session, HERALD, "ingester").article_id
    ingest_article(app_session, GAZETTE, "ingester")
    mention = app_session.query(Mention).filter(Mention.article_id == herald_id).first()
    claim_id = mention.claim_id
    set_status(app_session, claim_id, "disputed", "The authority denies it", "ana")
    edit_text(app_session, claim_id, "The harbour authority will close the northern pier", "bob")
    add_tag(app_session, claim_id, "harbour", "ana")
    set_stance(app_session, mention.id, "discusses", "bob")
    app_session.commit()
    return {"claim_id": claim_id, "mention": mention.id, "article_id": herald_id}


def test_events_newest_first_with_links_to_what_changed(client, changed):
    page = soup(client.get("/audit"))
    rows = _rows(page)
    actions = [r["action"] for r in rows]
    assert actions[:4] == ["mention.stance", "claim.tag.add", "claim.edit", "claim.status"]
    assert "article.ingest" in actions
    stance, tag = rows[0], rows[1]
    assert stance["entity"].select_one("a.entity-link")["href"] == (
        f"/articles/{changed['article_id']}#m{changed['mention']}")
    assert stance["entity"].select_one("a.claim-link")["href"] == f"/claims/{changed['claim_id']}"
    assert tag["entity"].select_one("a.entity-link")["href"] == f"/claims/{changed['claim_id']}"
    ingest = next(r for r in rows if r["action"] == "article.ingest")
    assert ingest["entity"].select_one("a")["href"].startswith("/articles/")
    edit = page.select("tr.event-row")[2]
    assert edit.select_one(".before .v").get_text().startswith("The harbour authority will close")
    assert edit.select_one(".after .v").get_text() == "The harbour authority will close the northern pier"


def test_filter_by_user_action_and_day(client, app_session):
    _event(app_session, actor="ana", action="claim.status", at=DAY - timedelta(days=2))
    _event(app_session, actor="ana", action="claim.edit", at=DAY)
    _event(app_session, actor="bob", action="claim.status", at=DAY + timedelta(hours=11, minutes=59))
    _event(app_session, actor="bob", action="claim.edit", at=DAY + timedelta(days=1))
    app_session.commit()

    page = soup(client.get("/audit"))
    assert [o["value"] for o in page.select("select[name=action] option")] == ["", "claim.edit", "claim.status"]
    assert [r["who"] for r in _rows(soup(client.get("/audit?actor=bob")))] == ["bob", "bob"]
    assert [r["action"] for r in _rows(soup(client.get("/audit?action=claim.edit")))] == ["claim.edit"] * 2
    one_day = _rows(soup(client.get("/audit?from=2024-05-02&to=2024-05-02")))
    assert [(r["who"], r["action"]) for r in one_day] == [("bob", "claim.status"), ("ana", "claim.edit")]
    both = soup(client.get("/audit?actor=ana&action=claim.status&from=2024-04-30"))
    assert [(r["who"], r["action"]) for r in _rows(both)] == [("ana", "claim.status")]
    # The form shows the filters, and the CSV link carries them.
    assert both.select_one("input[name=actor]")["value"] == "ana"
    assert both.select_one("select[name=action] option[selected]")["value"] == "claim.status"
    assert both.select_one("input[name=from]")["value"] == "2024-04-30"
    assert both.select_one("a.csv-link")["href"] == "/audit.csv?actor=ana&action=claim.status&from=2024-04-30"
    assert soup(client.get("/audit?actor=nobody")).select_one(".empty") is not None


def test_keyset_pages_show_every_event_once_in_order(client, app_session):
    # Ties on `at` are ordered by id: 30 events share one second, 30 more are spread over days.
    for i in range(30):
        _event(app_session, actor=f"a{i}", at=DAY)
    for i in range(30):
        _event(app_session, actor=f"b{i}", at=DAY - timedelta(days=i + 1))
    app_session.commit()
    expected = [e.id for e in sorted(app_session.query(Event).all(), key=lambda e: (e.at, e.id), reverse=True)]

    seen, url, pages = [], "/audit", 0
    while url:
        page = soup(client.get(url))
        seen += [r["id"] for r in _rows(page)]
        link = page.select_one("a.next-page")
        url = link["href"] if link else None
        pages += 1
    assert seen == expected
    assert pages == 3   # 25 a page (the default page size)


def test_htmx_gets_only_the_results_block(client, app_session):
    _event(app_session)
    app_session.commit()
    response = client.get("/audit?actor=ana", headers=HX)
    assert response.headers["Vary"] == "HX-Request"
    page = soup(response)
    assert page.select_one("h1") is None
    assert page.select_one("section#results tr.event-row") is not None


def test_values_are_escaped_and_shortened(client, app_session):
    _event(app_session, actor="<b>mallory</b>",
           after={"text": "<script>alert(1)</script>", "long": "word " * 100, "n": {"a": [1, 2]}})
    app_session.commit()
    page = soup(client.get("/audit"))
    row = page.select_one("tr.event-row")
    assert row.select("script") == [] and row.select("b") == []
    assert row.select_one(".who").get_text() == "<b>mallory</b>"
    values = {kv.select_one(".k").get_text(): kv.select_one(".v").get_text() for kv in row.select(".after .kv")}
    assert values["text"] == "<script>alert(1)</script>"
    assert len(values["long"]) == 120 and values["long"].endswith("…")
    assert json.loads(values["n"]) == {"a": [1, 2]}


@pytest.mark.parametrize("query", ["from=yesterday", "to=2024-13-01", "from=2024-05-03&to=2024-05-01",
                                   "cursor=%21%21"])
def test_bad_filters_are_422(client, query):
    assert client.get(f"/audit?{query}").status_code == 422


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_export_has_the_filtered_events(client, app_session):
    _event(app_session, actor="ana", action="claim.status", before={"status": "unreviewed"},
           after={"status": "false", "reason": "Checked, wrong"})
    _event(app_session, actor="bob", action="article.ingest", entity="article", entity_id=4,
           claim_id=None, at=DAY + timedelta(minutes=1))
    app_session.commit()
    response = client.get("/audit.csv?actor=ana")
    assert "attachment" in response.headers["content-disposition"]
    header = response.text.splitlines()[0]
    assert header == "id,at,actor,action,entity,entity_id,claim_id,before,after"
    (row,) = _csv(response)
    assert (row["actor"], row["action"], row["entity"], row["entity_id"], row["claim_id"]) == (
        "ana", "claim.status", "claim", "1", "1")
    assert datetime.fromisoformat(row["at"]) == DAY
    assert json.loads(row["before"]) == {"status": "unreviewed"}
    assert json.loads(row["after"]) == {"status": "false", "reason": "Checked, wrong"}
    everything = _csv(client.get("/audit.csv"))
    assert [r["actor"] for r in everything] == ["bob", "ana"]
    assert everything[0]["claim_id"] == "" and everything[0]["before"] == ""


def test_csv_export_streams_past_one_batch(client, app_session):
    for i in range(1205):
        _event(app_session, actor=f"user{i:04d}", at=DAY + timedelta(seconds=i))
    app_session.commit()
    rows = _csv(client.get("/audit.csv"))
    assert [r["actor"] for r in rows] == [f"user{i:04d}" for i in reversed(range(1205))]


def test_csv_cells_cannot_be_formulas(client, app_session):
    for actor in ("=HYPERLINK(\"http://x.example\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "plain-name"):
        _event(app_session, actor=actor)
    app_session.commit()
    actors = {r["actor"] for r in _csv(client.get("/audit.csv"))}
    assert actors == {"'=HYPERLINK(\"http://x.example\")", "'+1", "'-1+2", "'@SUM(A1)", "'\tx", "'\rx",
                      "plain-name"}


def test_safe_cell_leaves_numbers_and_plain_text():
    assert safe_cell(-5) == -5
    assert safe_cell(None) is None
    assert safe_cell("a=b") == "a=b"
    assert safe_cell("=1") == "'=1"


def test_claim_sources_csv_is_guarded_too(client, app_session):
    ingest_article(app_session, HERALD, "ingester")
    ingest_article(app_session, GAZETTE, "ingester")
    claim_id = app_session.query(Mention.claim_id).first()[0]
    edit_text(app_session, claim_id, "=cmd|' /C calc'!A0 the pier closes", "mallory")
    app_session.commit()
    rows = _csv(client.get(f"/claims/{claim_id}/sources.csv"))
    assert rows and {r["claim"] for r in rows} == {"'=cmd|' /C calc'!A0 the pier closes"}


def test_an_event_with_both_sides_shows_only_what_changed(client, changed):
    row = soup(client.get("/audit?action=mention.stance")).select_one("tr.event-row")
    pairs = [kv.get_text() for kv in row.select(".before .kv")], [kv.get_text() for kv in row.select(".after .kv")]
    assert pairs == (["stance=repeats"], ["stance=discusses"])
    (exported,) = _csv(client.get("/audit.csv?action=mention.stance"))
    assert json.loads(exported["after"])["article_id"] == changed["article_id"]
