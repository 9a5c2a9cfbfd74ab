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

from sqlalchemy import select

from app.domain import review
from app.domain.claims import tags_for_claims
from app.domain.errors import Conflict
from app.domain.linking import index_claim_text, text_hashes
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim, Event
from app.vocab import STATUSES

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
