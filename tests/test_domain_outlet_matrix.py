"""The outlet matrix and an outlet's record over a hand-built dataset (tests/outlet_dataset.py states
every count): confirmed mentions only, live claims only, the filters, the cap on outlets drawn, and
cells whose lists are as long as their numbers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.errors import InvalidInput, NotFound
from app.domain.outlets import (
    MatrixFilter,
    _scanned_cell_ids,
    matrix_cell,
    matrix_filter,
    outlet_matrix,
    outlet_record,
    pair_counts,
    parse_top,
    scanned_matrix,
)
from app.domain.people import outlet_by_slug
from app.storage.models import Article, Claim, Mention, Outlet, Speaker
from tests.outlet_dataset import build, build_random


@pytest.fixture
def data(session):
    return build(session)


def grid(matrix, kind: str) -> dict[tuple[str, str], int]:
    """Every non-zero cell, by the two outlets' names in alphabetical order."""
    names = {o.id: o.name for o in matrix.outlets}
    out = {}
    for i, a in enumerate(matrix.outlets):
        for b in matrix.outlets[i:]:
            if n := matrix.count(kind, a.id, b.id):
                out[tuple(sorted((names[a.id], names[b.id])))] = n
    return out


def test_pair_counts_is_a_pure_rule_over_stances():
    counts = pair_counts({1: ({10, 20}, {30}), 2: ({10}, {10, 20}), 3: (set(), {20, 30})})
    assert dict(counts["both_repeat"]) == {(10, 10): 2, (10, 20): 1, (20, 20): 1}
    assert dict(counts["split"]) == {(10, 30): 1, (20, 30): 1, (10, 10): 1, (10, 20): 1}


def test_whole_matrix_counts_confirmed_mentions_of_live_claims(session, data):
    m = outlet_matrix(session, MatrixFilter())
    assert [(o.name, o.claims, o.repeats, o.contradicts) for o in m.outlets] == [
        ("Alpha", 4, 4, 1), ("Gamma", 4, 3, 1), ("Beta", 3, 2, 1)]
    assert m.outlet_total == 3 and m.left_out == 0    # Delta only discusses
    assert m.claim_total == 5                          # c5 was merged away
    assert grid(m, "both_repeat") == {("Alpha", "Alpha"): 4, ("Alpha", "Gamma"): 2, ("Alpha", "Beta"): 1,
                                      ("Gamma", "Gamma"): 3, ("Beta", "Gamma"): 1, ("Beta", "Beta"): 2}
    assert grid(m, "split") == {("Alpha", "Alpha"): 1, ("Alpha", "Gamma"): 2, ("Alpha", "Beta"): 1,
                                ("Beta", "Gamma"): 1}
    alpha, gamma = m.outlets[0].id, m.outlets[1].id
    assert m.count("split", gamma, alpha) == m.count("split", alpha, gamma) == 2


def test_tag_filter(session, data):
    m = outlet_matrix(session, matrix_filter(tag=" Port "))
    assert m.claim_total == 2
    assert grid(m, "both_repeat") == {("Beta", "Beta"): 2, ("Beta", "Gamma"): 1, ("Alpha", "Beta"): 1,
                                      ("Alpha", "Alpha"): 1, ("Gamma", "Gamma"): 1}
    assert grid(m, "split") == {("Beta", "Gamma"): 1, ("Alpha", "Gamma"): 1}


def test_speaker_filter(session, data):
    m = outlet_matrix(session, matrix_filter(speaker=data.speakers["Omar Haddad"]))
    assert [o.name for o in m.outlets] == ["Gamma", "Alpha", "Beta"]
    assert m.claim_total == 2
    assert grid(m, "both_repeat") == {("Gamma", "Gamma"): 2, ("Alpha", "Gamma"): 1, ("Beta", "Gamma"): 1,
                                      ("Alpha", "Alpha"): 1, ("Beta", "Beta"): 1}
    assert grid(m, "split") == {("Alpha", "Alpha"): 1, ("Alpha", "Gamma"): 1}


def test_date_range_is_on_the_article_publication_day(session, data):
    m = outlet_matrix(session, matrix_filter(since="2024-02-01", until="2024-03-31"))
    # c2 (Alpha 02-01 repeats, Beta 02-02 contradicts) and c3 (Beta, Gamma); Alpha's 02-28 is a suggestion
    assert m.claim_total == 2
    assert grid(m, "both_repeat") == {("Beta", "Beta"): 1, ("Beta", "Gamma"): 1, ("Alpha", "Alpha"): 1,
                                      ("Gamma", "Gamma"): 1}
    assert grid(m, "split") == {("Alpha", "Beta"): 1}
    assert outlet_matrix(session, matrix_filter(since="2024-06-01")).claim_total == 1
    assert outlet_matrix(session, matrix_filter(until="2024-01-10")).claim_total == 1


def test_top_draws_the_outlets_with_most_claims_and_counts_the_rest(session, data):
    m = outlet_matrix(session, MatrixFilter(), top=2)
    assert [o.name for o in m.outlets] == ["Alpha", "Gamma"]
    assert (m.outlet_total, m.left_out) == (3, 1)
    assert grid(m, "both_repeat") == {("Alpha", "Alpha"): 4, ("Alpha", "Gamma"): 2, ("Gamma", "Gamma"): 3}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"since": "2024-13-01"}, "since must be a day written YYYY-MM-DD"),
    ({"until": "1.2.2024"}, "until must be a day"),
    ({"since": "２０２４-01-01"}, "since must be a day"),
    ({"since": "2024-05-01", "until": "2024-04-01"}, "since (2024-05-01) is after until (2024-04-01)"),
    ({"tag": "x" * 61}, "tag is longer than 60"),
    ({"speaker": "a\x00b"}, "speaker must not contain NUL"),
])
def test_bad_filter_values_are_invalid_input(kwargs, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        matrix_filter(**kwargs)


def test_unknown_tag_or_speaker_is_invalid_input_not_an_empty_matrix(session, data):
    with pytest.raises(InvalidInput, match="no tag 'harbor'"):
        outlet_matrix(session, matrix_filter(tag="harbor"))
    with pytest.raises(InvalidInput, match="no speaker 'nobody'"):
        outlet_matrix(session, matrix_filter(speaker="nobody"))


@pytest.mark.parametrize("raw", ["1", "61", "x", "²"])
def test_top_out_of_range_is_invalid_input(raw):
    with pytest.raises(InvalidInput, match="top must"):
        parse_top(raw)


def test_cells_list_exactly_the_claims_counted(session, data):
    m = outlet_matrix(session, MatrixFilter())
    for kind in ("both_repeat", "split"):
        for a in m.outlets:
            for b in m.outlets:
                cell = matrix_cell(session, MatrixFilter(), a.slug, b.slug, kind)
                assert cell.total == len(cell.claims) == m.count(kind, a.id, b.id), (kind, a.name, b.name)
    alpha, gamma = data.outlets["Alpha"], data.outlets["Gamma"]
    cell = matrix_cell(session, MatrixFilter(), alpha, gamma, "split")
    assert [c.id for c in cell.claims] == [data.claims["c4"], data.claims["c1"]]   # newest first
    c4 = cell.claims[0]
    assert [(x.stance, x.published) for x in c4.a] == [("repeats", date(2024, 4, 1)),
                                                      ("contradicts", date(2024, 4, 5))]
    assert [x.id for x in c4.b] == [data.mentions[("c4", "Gamma", "repeats")]]
    assert c4.speaker == "Omar Haddad"


def test_cell_filter_and_bad_values(session, data):
    alpha, beta = data.outlets["Alpha"], data.outlets["Beta"]
    tagged = matrix_cell(session, matrix_filter(tag="port"), alpha, beta, "both_repeat")
    assert [c.id for c in tagged.claims] == [data.claims["c1"]]
    assert matrix_cell(session, matrix_filter(tag="port"), alpha, beta, "split").total == 0
    with pytest.raises(InvalidInput, match="kind must be one of both_repeat, split"):
        matrix_cell(session, MatrixFilter(), alpha, beta, "agree")
    with pytest.raises(NotFound, match="no outlet 'nowhere'"):
        matrix_cell(session, MatrixFilter(), alpha, "nowhere", "split")


def test_outlet_record_firsts_and_contradictions(session, data):
    def record(name):
        return outlet_record(session, outlet_by_slug(session, data.outlets[name]))

    alpha = record("Alpha")
    # c3's earliest Alpha mention is only a suggestion: Beta carried it first. Most other outlets first.
    assert [(f.claim_id, f.others) for f in alpha.firsts] == [
        (data.claims["c1"], 2), (data.claims["c7"], 1), (data.claims["c4"], 1), (data.claims["c2"], 1)]
    assert alpha.firsts[1].tied_with == ("Gamma",)
    assert [f.tied_with for f in alpha.firsts if f.claim_id != data.claims["c7"]] == [(), (), ()]
    assert alpha.firsts[2].mention.id == data.mentions[("c4", "Alpha", "repeats")]
    assert (alpha.first_total, alpha.only_here, alpha.scanned, alpha.capped) == (4, 0, 4, False)
    assert [(c, m.id) for c, _, m in alpha.contradicts] == [
        (data.claims["c4"], data.mentions[("c4", "Alpha", "contradicts")])]
    assert alpha.contradict_total == 1

    beta = record("Beta")
    assert [f.claim_id for f in beta.firsts] == [data.claims["c3"]]
    assert [c for c, _, _ in beta.contradicts] == [data.claims["c2"]]
    gamma = record("Gamma")
    assert [(f.claim_id, f.tied_with) for f in gamma.firsts] == [(data.claims["c7"], ("Alpha",))]
    assert [c for c, _, _ in gamma.contradicts] == [data.claims["c1"]]
    delta = record("Delta")    # c9 is Delta's alone: counted, not listed
    assert (delta.firsts, delta.first_total, delta.only_here, delta.scanned) == ((), 0, 1, 2)
    assert delta.contradicts == ()


def same_as_counted(session, f: MatrixFilter, limits=(1, 3, 200)) -> None:
    """The matrix and every cell under `f` against the straightforward count over the mentions
    (scanned_matrix, and every claim of a cell from both outlets' mentions), a cell cut at each limit."""
    counted, m = scanned_matrix(session, f, 60), outlet_matrix(session, f, 60)
    assert (m.outlets, m.outlet_total, m.claim_total) == (counted.outlets, counted.outlet_total, counted.claim_total)
    assert {k: +c for k, c in m.counts.items()} == {k: +c for k, c in counted.counts.items()}
    for kind in ("both_repeat", "split"):
        for a in m.outlets:
            for b in m.outlets:
                want = _scanned_cell_ids(session, f, a.id, b.id, kind)
                for limit in limits:
                    cell = matrix_cell(session, f, a.slug, b.slug, kind, limit=limit)
                    assert cell.total == len(want) == m.count(kind, a.id, b.id), (f, kind, a.name, b.name)
                    assert [c.id for c in cell.claims] == want[:limit], (f, kind, a.name, b.name, limit)


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_cells_and_filtered_matrices_are_the_counted_ones(session, seed):
    """The kept sides (outlet_claims) answer the unfiltered cells and the tag and speaker filters,
    a cell stopping at its page: the same claims, in the same order, and the same totals."""
    build_random(session, seed, outlets=4)
    rosa = session.scalar(select(Speaker.slug).where(Speaker.name == "Rosa Lind"))
    filters = [MatrixFilter(), matrix_filter(tag="river"), matrix_filter(speaker=rosa),
               matrix_filter(tag="river", speaker=rosa), matrix_filter(since="2024-02-01", until="2024-04-30"),
               matrix_filter(tag="river", since="2024-03-01")]
    for f in filters:
        same_as_counted(session, f)


def _record_from_every_mention(session, outlet):
    """outlet_record's firsts summed up from every mention of each examined claim (spread.py)."""
    from app.domain.spread import confirmed_spreads

    ids = [c for c in session.scalars(
        select(Mention.claim_id).join(Article, Article.id == Mention.article_id).join(Claim, Claim.id == Mention.claim_id)
        .where(Article.outlet_id == outlet.id, Mention.origin != "suggested", Claim.merged_into_id.is_(None))
        .distinct().order_by(Mention.claim_id.desc()))]
    found, only_here = [], 0
    for claim_id, spread in confirmed_spreads(session, ids).items():
        ties = [spread.first, *spread.first_ties] if spread.first else []
        mine = next((m for m in ties if m.outlet_slug == outlet.slug), None)
        if mine is None:
            continue
        if spread.outlet_count <= 1:
            only_here += 1
            continue
        found.append((claim_id, mine, tuple(m.outlet for m in ties if m is not mine), spread.outlet_count - 1))
    found.sort(key=lambda f: (-f[3], -f[0]))
    return found, only_here, len(ids)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_outlet_record_firsts_are_those_summed_up_from_every_mention(session, seed):
    """The firsts read from the stored summaries: the claims, mentions, ties and counts that the
    spread of every examined claim, summed up from its mentions, gives."""
    from app.domain.linking import refresh_outlet_counts

    ids = build_random(session, seed, claims=60, outlets=5)
    # Three days only: many claims first seen by two outlets on the same day (ties).
    for article in session.scalars(select(Article).where(Article.published.is_not(None))):
        article.published = date(2024, 3, 1 + article.id % 3)
    refresh_outlet_counts(session, ids.values())
    session.commit()
    listed = tied = 0
    for outlet in session.scalars(select(Outlet)):
        record = outlet_record(session, outlet)
        found, only_here, scanned = _record_from_every_mention(session, outlet)
        assert [(f.claim_id, f.mention, f.tied_with, f.others) for f in record.firsts] == found
        assert (record.first_total, record.only_here, record.scanned) == (len(found), only_here, scanned)
        listed += len(found)
        tied += sum(bool(f.tied_with) for f in record.firsts)
    assert listed and tied
