"""An analyst merges two speakers that are one person: in the domain, over /api/v1, on the speaker
page and from the CLI. The merged speaker's slug keeps working as a redirect, as a merged claim's id."""
from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.domain.articles import ingest_article
from app.domain.claims import ClaimFilter, list_claims
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.people import get_or_create_speaker, list_speakers
from app.domain.speakers import merge_speakers, resolve_speaker
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim, Event, Quote, Speaker, SpeakerAlias
from tests.auth import log_in
from tests.factories import HERALD
from tests.test_api_support import API, assert_error
from tests.test_web_support import soup

# Two judges share a surname, so the third article's bare "Solberg" joins neither of them.
RULINGS = [
    ("Northport Herald", "“The court will hear the appeal in the spring term of next year,” "
                         "said Henrik Solberg, the chief justice."),
    ("Coastal Gazette", "“Every family deserves an answer before the winter,” Hanna Solberg said."),
    ("Bay Tribune", "“The appeal will be heard in the spring term and not a day later,” Solberg said."),
]


def ingest_rulings(session) -> None:
    for outlet, quote in RULINGS:
        text = f"Ruling\n\n{quote}\n"
        ingest_article(session, replace(HERALD, outlet=outlet, title=outlet, text=text), "tester")
    session.commit()


def quote_speakers(session) -> dict[str, str]:
    """Each quote's second word ("court", "family", "appeal") -> the slug of its speaker."""
    rows = session.execute(select(Quote.text, Speaker.slug).join(Speaker, Speaker.id == Quote.speaker_id))
    return {text.split()[1]: slug for text, slug in rows}


@pytest.fixture
def rulings(session):
    ingest_rulings(session)
    assert {s["slug"] for s in list_speakers(session)} == {"henrik-solberg", "hanna-solberg", "solberg"}
    assert quote_speakers(session)["appeal"] == "solberg"
    return session


# --- domain ---------------------------------------------------------------------------------------

def test_merge_moves_quotes_claims_and_aliases_and_records_one_event(rulings):
    session = rulings
    henrik = merge_speakers(session, "solberg", "henrik-solberg", "ana")
    session.commit()
    assert henrik.slug == "henrik-solberg"
    assert quote_speakers(session) == {"court": "henrik-solberg", "family": "hanna-solberg",
                                       "appeal": "henrik-solberg"}
    claims = session.scalars(select(Claim).where(Claim.speaker_id == henrik.id)).all()
    assert len(claims) == 2
    old = session.scalar(select(Speaker).where(Speaker.slug == "solberg"))
    assert old.merged_into_id == henrik.id
    assert session.scalar(select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias == "solberg")) == henrik.id
    assert {s["slug"] for s in list_speakers(session)} == {"henrik-solberg", "hanna-solberg"}
    (event,) = session.scalars(select(Event).where(Event.action == "speaker.merge")).all()
    assert (event.actor, event.entity, event.entity_id) == ("ana", "speaker", old.id)
    assert event.before == {"speaker": old.id, "slug": "solberg", "name": "Solberg"}
    assert event.after["merged_into"] == henrik.id and event.after["slug"] == "henrik-solberg"
    assert (event.after["quotes_moved"], event.after["claims_moved"]) == (1, 1)


def test_after_a_merge_the_old_slug_and_name_lead_to_the_survivor(rulings):
    session = rulings
    henrik = merge_speakers(session, "solberg", "henrik-solberg", "ana")
    session.commit()
    assert resolve_speaker(session, "solberg").id == henrik.id
    assert get_or_create_speaker(session, "Solberg").id == henrik.id
    by_old_slug = list_claims(session, ClaimFilter(speaker="solberg"))
    assert len(by_old_slug.claims) == 2 and {c.speaker_id for c in by_old_slug.claims} == {henrik.id}


@pytest.mark.parametrize("source, target, error", [
    ("solberg", "solberg", InvalidInput),
    ("solberg", "nobody-here", NotFound),
    ("nobody-here", "solberg", NotFound),
])
def test_invalid_merges_are_refused_and_change_nothing(rulings, source, target, error):
    with pytest.raises(error):
        merge_speakers(rulings, source, target, "ana")
    rulings.rollback()
    assert len(list_speakers(rulings)) == 3
    assert rulings.scalar(select(Event).where(Event.action == "speaker.merge")) is None


def test_merging_into_or_from_a_merged_speaker_is_a_conflict_naming_the_survivor(rulings):
    merge_speakers(rulings, "solberg", "henrik-solberg", "ana")
    rulings.commit()
    with pytest.raises(Conflict, match="henrik-solberg"):
        merge_speakers(rulings, "hanna-solberg", "solberg", "ana")
    with pytest.raises(Conflict, match="already merged"):
        merge_speakers(rulings, "solberg", "hanna-solberg", "ana")


def test_a_merged_speakers_earlier_redirects_follow_it(rulings):
    """A into B, then B into C: A leads to C in one step."""
    merge_speakers(rulings, "solberg", "hanna-solberg", "ana")
    merge_speakers(rulings, "hanna-solberg", "henrik-solberg", "ana")
    rulings.commit()
    first = rulings.scalar(select(Speaker).where(Speaker.slug == "solberg"))
    assert first.merged_into_id == resolve_speaker(rulings, "henrik-solberg").id
    assert set(quote_speakers(rulings).values()) == {"henrik-solberg"}


# --- API ------------------------------------------------------------------------------------------

@pytest.fixture
def api_rulings(app, app_session):
    ingest_rulings(app_session)


def test_api_merge_answers_the_survivor_and_the_old_slug_redirects(client, app_session, api_rulings):
    response = client.post(f"{API}/speakers/solberg/merge", json={"into": "henrik-solberg"})
    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["claim_count"]) == ("henrik-solberg", "Henrik Solberg", 2)
    moved = client.get(f"{API}/speakers/solberg", params={"sort": "newest"})
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"{API}/speakers/henrik-solberg?sort=newest")
    assert client.get(moved.headers["location"]).json()["claim_count"] == 2
    slugs = {s["slug"] for s in client.get(f"{API}/speakers").json()}
    assert slugs == {"henrik-solberg", "hanna-solberg"}
    event = app_session.scalar(select(Event).where(Event.action == "speaker.merge"))
    assert event.actor == "tester" and event.after["merged_into"] == body["id"]


@pytest.mark.parametrize("path, body, status", [
    ("nobody-here", {"into": "henrik-solberg"}, 404),
    ("solberg", {"into": "nobody-here"}, 404),
    ("solberg", {"into": "solberg"}, 422),
    ("solberg", {}, 422),
    ("solberg", {"into": ""}, 422),
    ("solberg", {"into": "henrik-solberg", "extra": 1}, 422),
])
def test_api_invalid_merges(client, api_rulings, path, body, status):
    assert "message" in assert_error(client.post(f"{API}/speakers/{path}/merge", json=body), status)
    assert len(client.get(f"{API}/speakers").json()) == 3


def test_api_merge_into_a_merged_speaker_is_409(client, api_rulings):
    assert client.post(f"{API}/speakers/solberg/merge", json={"into": "henrik-solberg"}).status_code == 200
    again = assert_error(client.post(f"{API}/speakers/hanna-solberg/merge", json={"into": "solberg"}), 409)
    assert "henrik-solberg" in again["message"]
    assert_error(client.post(f"{API}/speakers/solberg/merge", json={"into": "hanna-solberg"}), 409)


@pytest.mark.parametrize("role, status", [("viewer", 403), ("analyst", 200)])
def test_api_merge_needs_an_analyst(client, app, api_rulings, role, status):
    log_in(client, app, name=f"a-{role}", role=role)
    response = client.post(f"{API}/speakers/solberg/merge", json={"into": "henrik-solberg"})
    assert response.status_code == status


# --- the speaker page -----------------------------------------------------------------------------

def test_speaker_page_has_the_merge_form_for_analysts_only(client, app, api_rulings):
    """The speaker page starts a merge with a search; the preview page holds the POST that merges."""
    search = soup(client.get("/speakers/solberg")).select_one("form.merge-search")
    assert search["action"] == "/speakers/solberg/merge" and search["method"] == "get"
    preview = soup(client.get(search["action"], params={"q": "henrik", "into": "henrik-solberg"}))
    form = preview.select_one("form.merge-form")
    assert form["action"] == "/speakers/solberg/merge" and form["method"] == "post"
    assert form.select_one("input[name=target]")["value"] == "henrik-solberg"
    assert form.select_one("input[type=hidden][name=csrf_token]")["value"]
    log_in(client, app, name="v", role="viewer")
    assert soup(client.get("/speakers/solberg")).select_one("form.merge-search") is None
    assert client.get("/speakers/solberg/merge", params={"q": "henrik"}).status_code == 403


def test_merge_through_the_form_redirects_the_old_page(client, app_session, api_rulings):
    response = client.post("/speakers/solberg/merge", data={"target": " henrik-solberg "})
    assert response.status_code == 303 and response.headers["location"] == "/speakers/henrik-solberg"
    moved = client.get("/speakers/solberg", params={"status": "unreviewed"})
    assert moved.status_code == 301
    assert moved.headers["location"] == "/speakers/henrik-solberg?status=unreviewed"
    page = soup(client.get("/speakers/henrik-solberg"))
    assert page.select_one("h1").get_text().startswith("Henrik Solberg")
    assert len(page.select("#results tbody tr")) == 2
    assert app_session.scalar(select(Event.actor).where(Event.action == "speaker.merge")) == "tester"
    row = soup(client.get("/audit", params={"action": "speaker.merge"})).select("tbody tr")
    assert len(row) == 1 and row[0].select_one("a.entity-link")["href"] == "/speakers/solberg"


def test_merge_through_htmx_answers_hx_redirect(client, api_rulings):
    response = client.post("/speakers/solberg/merge", data={"target": "henrik-solberg"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/speakers/henrik-solberg"


@pytest.mark.parametrize("target, status, words", [
    ("solberg", 422, "itself"), ("", 422, "slug"), ("nobody-here", 404, "nobody-here")])
def test_a_refused_merge_shows_its_reason_beside_the_form(client, api_rulings, target, status, words):
    response = client.post("/speakers/solberg/merge", data={"target": target})
    assert response.status_code == status
    page = soup(response)
    assert words in page.select_one(".merge .field-error").get_text()
    assert page.select_one(".merge")["open"] is not None
    assert page.select_one(".merge input[name=q]")["value"] == target


def test_merge_of_an_unknown_speaker_is_the_404_page(client):
    response = client.post("/speakers/nobody-here/merge", data={"target": "x"})
    assert response.status_code == 404
    assert soup(response).select_one("h1").get_text().startswith("404")


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_speaker_merge(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", url]).exit_code == 0
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        ingest_rulings(session)
    ok = CliRunner().invoke(main, ["speaker", "merge", "solberg", "henrik-solberg", "--database-url", url])
    assert ok.exit_code == 0 and "henrik-solberg" in ok.output
    refused = CliRunner().invoke(main, ["speaker", "merge", "solberg", "hanna-solberg", "--database-url", url])
    assert refused.exit_code != 0 and "already merged" in refused.output
    with make_sessionmaker(engine)() as session:
        assert len(list_speakers(session)) == 2
    engine.dispose()
