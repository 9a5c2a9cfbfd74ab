"""No lost edits: many analysts edit the same few claims at once, each from a page that may already be
stale. Every change either lands (and is in the audit log exactly once) or is refused with a
Conflict; the claims end as the last accepted change left them, their versions counting every one.

Each writer reads a claim's version, waits a few milliseconds (another writer may change it
meanwhile), then sends its change with that version through the domain, in the same session, so
its in-memory copy is as stale as an open browser tab: only the database can refuse it.
"""
from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.domain import review
from app.domain.articles import ingest_article
from app.domain.claims import tags_for_claims
from app.domain.errors import Conflict
from app.domain.linking import index_claim_text, text_hashes
from app.domain.mentions import set_stance, unlink
from app.domain.spread_summary import check_spreads
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim, Event, Mention
from app.vocab import STANCES, STATUSES
from tests.factories import GAZETTE, HERALD
from tests.test_web_support import soup

CLAIMS, WRITERS, EDITS = 5, 8, 25
ACTIONS = {"status": "claim.status", "text": "claim.edit", "tag": "claim.tag.add"}


@dataclass(frozen=True)
class Attempt:
    writer: int
    claim_id: int
    kind: str            # status | text | tag
    after: dict          # the values the change sets, as its event must record them
    outcome: str         # accepted | 409
    version: int | None  # the claim's version once the change is in (accepted only)


def _seed(factory) -> list[int]:
    with factory() as session:
        claims = []
        for i in range(CLAIMS):
            text = f"The ferry operator will add a night crossing on route {i} from next spring"
            claim = Claim(text=text, norm_hash=text_hashes(text)[0])
            session.add(claim)
            session.flush()
            index_claim_text(session, claim.id, text)
            claims.append(claim.id)
        session.commit()
        return claims


def _change(session, rng, claim_id: int, kind: str, writer: int, k: int,
            version: int) -> tuple[dict, object]:
    """The values one edit sets (unique to this writer and edit) and the call that makes it."""
    who = f"writer-{writer}"
    if kind == "status":
        after = {"status": rng.choice(STATUSES), "reason": f"checked by {who}, edit {k}"}
        return after, lambda: review.set_status(session, claim_id, after["status"], after["reason"],
                                                who, expected_version=version)
    if kind == "text":
        after = {"text": f"The ferry operator will add crossing {claim_id} (wording {writer}.{k})"}
        return after, lambda: review.edit_text(session, claim_id, after["text"], who,
                                               expected_version=version)
    after = {"tag": f"w{writer}-e{k}"}
    return after, lambda: review.add_tag(session, claim_id, after["tag"], who,
                                         expected_version=version)


def _writer(factory, claims: list[int], writer: int, barrier, attempts: list, errors: list) -> None:
    rng = random.Random(writer)
    try:
        with factory() as session:
            barrier.wait(timeout=30)
            for k in range(EDITS):
                claim_id, kind = rng.choice(claims), rng.choice(list(ACTIONS))
                session.expire_all()
                version = session.get(Claim, claim_id).version    # the page is rendered
                time.sleep(rng.uniform(0.0, 0.004))                # the analyst types
                after, call = _change(session, rng, claim_id, kind, writer, k, version)
                try:
                    claim = call()
                    session.commit()
                except Conflict:
                    session.rollback()
                    attempts.append(Attempt(writer, claim_id, kind, after, "409", None))
                    continue
                attempts.append(Attempt(writer, claim_id, kind, after, "accepted", claim.version))
    except BaseException as exc:  # noqa: BLE001 - anything but a Conflict fails the test below
        errors.append(repr(exc))


def _run(factory, claims: list[int]) -> tuple[list[Attempt], list[str], float]:
    attempts: list[Attempt] = []
    errors: list[str] = []
    barrier = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=_writer, args=(factory, claims, w, barrier, attempts, errors))
               for w in range(WRITERS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return attempts, errors, time.perf_counter() - started


def _check_claim(session, claim_id: int, accepted: list[Attempt], events: list[Event]) -> None:
    claim = session.get(Claim, claim_id)
    versions = sorted(a.version for a in accepted)
    # Every accepted change moved the version by exactly one: none was overwritten by another.
    assert versions == list(range(2, 2 + len(accepted)))
    assert claim.version == 1 + len(accepted)
    last = {kind: max((a for a in accepted if a.kind == kind), key=lambda a: a.version, default=None)
            for kind in ACTIONS}
    if last["status"]:
        assert (claim.status, claim.status_reason) == (last["status"].after["status"],
                                                       last["status"].after["reason"])
    else:
        assert claim.status == "unreviewed"
    if last["text"]:
        assert claim.text == last["text"].after["text"]
    assert set(tags_for_claims(session, [claim_id])[claim_id]) == {
        a.after["tag"] for a in accepted if a.kind == "tag"}
    # One event per accepted change, with its values, and none for a refused one.
    for a in accepted:
        matching = [e for e in events if e.action == ACTIONS[a.kind] and e.after == a.after]
        assert len(matching) == 1, a
    assert len(events) == len(accepted)


def test_concurrent_writers_lose_no_edit(database_url, capsys):
    engine = make_engine(database_url, pool_size=WRITERS + 2)
    factory = make_sessionmaker(engine)
    try:
        claims = _seed(factory)
        attempts, errors, seconds = _run(factory, claims)
        accepted = [a for a in attempts if a.outcome == "accepted"]
        refused = [a for a in attempts if a.outcome == "409"]
        with capsys.disabled():
            print(f"\n[{engine.dialect.name}] writers={WRITERS} edits={WRITERS * EDITS} "
                  f"accepted={len(accepted)} refused={len(refused)} seconds={seconds:.2f}")

        assert errors == []   # no deadlock, no IntegrityError, no "database is locked"
        assert len(accepted) + len(refused) == WRITERS * EDITS
        assert accepted and refused   # the race really happened, both ways
        by_claim = defaultdict(list)
        for a in accepted:
            by_claim[a.claim_id].append(a)
        with factory() as session:
            events = defaultdict(list)
            for e in session.scalars(select(Event).where(Event.action.in_(ACTIONS.values()))):
                events[e.claim_id].append(e)
            for claim_id in claims:
                _check_claim(session, claim_id, by_claim[claim_id], events[claim_id])
    finally:
        engine.dispose()


# --- mentions: the stance an analyst saw is the mention's version ---------------------------------

def _linked_mention(session) -> Mention:
    ingest_article(session, HERALD, "ingester")
    ingest_article(session, GAZETTE, "ingester")
    session.commit()
    return session.scalars(select(Mention).order_by(Mention.id)).first()


def _stance_events(session, mention_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(
        Event.entity == "mention", Event.entity_id == mention_id,
        Event.action == "mention.stance").order_by(Event.id)))


def test_stance_change_from_a_stale_page_is_a_conflict(session):
    mention = _linked_mention(session)
    seen = mention.stance
    set_stance(session, mention.id, "contradicts", "ana", expected_stance=seen)
    session.commit()
    with pytest.raises(Conflict, match="now contradicts.*discusses was not saved"):
        set_stance(session, mention.id, "discusses", "bob", expected_stance=seen)
    session.rollback()
    with pytest.raises(Conflict):
        unlink(session, mention.id, "bob", expected_stance=seen)
    session.rollback()
    session.expire_all()
    assert session.get(Mention, mention.id).stance == "contradicts"
    assert [e.actor for e in _stance_events(session, mention.id)] == ["ana"]
    unlink(session, mention.id, "bob", expected_stance="contradicts")
    session.commit()
    assert session.get(Mention, mention.id) is None


def test_stale_stance_form_is_a_409_showing_the_current_stance_and_what_was_tried(client, app_session):
    mention = _linked_mention(app_session)
    page = soup(client.get(f"/claims/{mention.claim_id}"))
    form = page.select_one(f'#mention-{mention.id} form[action$="/stance"]')
    seen = form.select_one("input[name=expected_stance]")["value"]
    assert seen == mention.stance
    assert client.post(f"/mentions/{mention.id}/stance",
                       data={"stance": "contradicts", "expected_stance": seen}).status_code == 303
    stale = client.post(f"/mentions/{mention.id}/stance", data={"stance": "discusses", "expected_stance": seen})
    assert stale.status_code == 409
    page = soup(stale)
    current = page.select_one(f'#mention-{mention.id} select[name=stance] option[selected]')
    assert current["value"] == "contradicts"
    assert "discusses was not saved" in page.select_one(".flash.error").get_text()
    unlinked = client.post(f"/mentions/{mention.id}/unlink", data={"expected_stance": seen})
    assert unlinked.status_code == 409
    assert soup(unlinked).select_one(f"#mention-{mention.id}") is not None


def test_stale_stance_through_the_api_is_a_409(client, app_session):
    mention = _linked_mention(app_session)
    url = f"/api/v1/mentions/{mention.id}"
    seen = client.get(url).json()["stance"]
    assert client.patch(url, json={"stance": "contradicts", "expected_stance": seen}).status_code == 200
    assert client.patch(url, json={"stance": "discusses", "expected_stance": seen}).status_code == 409
    assert client.delete(url, params={"expected_stance": seen}).status_code == 409
    assert client.get(url).json()["stance"] == "contradicts"
    assert client.delete(url, params={"expected_stance": "contradicts"}).status_code == 204


def test_concurrent_stance_changes_form_one_unbroken_chain(database_url):
    """Each accepted change starts from the stance the previous one left: none was overwritten."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    try:
        with factory() as session:
            mention_id = _linked_mention(session).id
        outcomes: list[str] = []
        errors: list[str] = []
        barrier = threading.Barrier(6)

        def work(writer: int) -> None:
            rng = random.Random(100 + writer)
            try:
                with factory() as session:
                    barrier.wait(timeout=30)
                    for _ in range(10):
                        session.expire_all()
                        seen = session.get(Mention, mention_id).stance
                        time.sleep(rng.uniform(0.0, 0.003))
                        target = rng.choice([s for s in STANCES if s != seen])
                        try:
                            set_stance(session, mention_id, target, f"w{writer}", expected_stance=seen)
                            session.commit()
                            outcomes.append("accepted")
                        except Conflict:
                            session.rollback()
                            outcomes.append("409")
            except BaseException as exc:  # noqa: BLE001
                errors.append(repr(exc))

        threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == [] and len(outcomes) == 60
        with factory() as session:
            events = _stance_events(session, mention_id)
            assert len(events) == outcomes.count("accepted")
            for previous, event in zip(events, events[1:]):
                assert event.before["stance"] == previous.after["stance"]
            assert session.get(Mention, mention_id).stance == events[-1].after["stance"]
            assert check_spreads(session) == []     # the stored spread and matrix followed every change
    finally:
        engine.dispose()


def test_stale_text_edit_page_shows_what_the_analyst_tried(client, app_session):
    claim_id = _linked_mention(app_session).claim_id
    first = client.post(f"/claims/{claim_id}/text", data={"text": "The pier closes for cargo", "version": "1"})
    assert first.status_code == 303
    stale = client.post(f"/claims/{claim_id}/text", data={"text": "The pier stays open", "version": "1"})
    assert stale.status_code == 409
    page = soup(stale)
    assert page.select_one("blockquote.claim-text").get_text() == "The pier closes for cargo"
    assert "You tried: text: The pier stays open" in page.select_one(".flash.error").get_text()
