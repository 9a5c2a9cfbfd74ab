"""A claim's spread on its page, its sources page and their JSON: first appearance by the time of
day when the source gives one, the summary, and the SVG timeline read through parsers."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from app.domain.linking import refresh_outlet_counts
from app.domain.mentions import link_selection
from app.domain.spread import as_utc
from app.main import create_app
from app.settings import Settings
from app.storage.models import Article, Claim, Mention, Outlet
from app.domain.timeline import MAX_MARKS, MAX_ROWS, ROW_HEIGHT
from tests.test_web_support import (
    HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, article_id_for, claim_id_for, ingest_all,
    mentions_of, soup)

SVG = "{http://www.w3.org/2000/svg}"
MARK_HREF = re.compile(r"^/articles/(\d+)#m(\d+)$")


def timeline(page) -> etree._Element:
    """The inline SVG, parsed again as XML: it must be well-formed SVG on its own."""
    svg = page.select_one("svg.timeline")
    assert svg is not None, "no timeline on the page"
    return etree.fromstring(str(svg).encode("utf-8"))


def marks(svg: etree._Element) -> list[etree._Element]:
    return svg.findall(f".//{SVG}a[@data-mention-id]")


def every_mention(session, claim_id: int) -> list[Mention]:
    """Linked mentions and the matcher's pending suggestions (it suggests each article's headline)."""
    return mentions_of(session, claim_id) + mentions_of(session, claim_id, origin_suggested=True)


def confirmed_marks(svg: etree._Element) -> list[etree._Element]:
    return [a for a in marks(svg) if "suggested" not in a.get("class").split()]


@pytest.fixture
def timed(client, app_session) -> int:
    """Two outlets the same day: the one ingested second published earlier in the day."""
    ingest_all(client, {**VALLEY_POST, "published": "2024-03-01T09:30:00+01:00"},
               {**RIVERSIDE_NEWS, "published": "2024-03-01T06:00:00Z"})
    return claim_id_for(app_session, RIVER)


def test_first_appearance_goes_by_the_time_of_day(client, app_session, timed):
    page = soup(client.get(f"/claims/{timed}"))
    first = page.select_one(".first-appearance")
    assert first.select_one("a.outlet").get_text() == "Riverside News"
    assert first.select_one("time")["datetime"] == "2024-03-01T06:00:00+00:00"
    assert page.select_one(".first-seen time")["datetime"] == "2024-03-01T06:00:00+00:00"
    assert page.select_one(".last-seen").get_text(" ", strip=True) == "2024-03-01 08:30 UTC"
    assert page.select_one(".first-ties") is None   # both give a time: no tie
    riverside = mentions_of(app_session, timed)[1]
    assert first.select_one("a.article-link")["href"] == f"/articles/{riverside.article_id}#m{riverside.id}"
    stored = app_session.get(Article, riverside.article_id)
    assert stored.published == date(2024, 3, 1)
    assert as_utc(stored.published_at) == datetime(2024, 3, 1, 6, tzinfo=timezone.utc)

    body = client.get(f"/claims/{timed}/sources.json").json()["spread"]
    assert body["first"]["outlet"] == "Riverside News"
    assert (body["first_seen"], body["last_seen"]) == ("2024-03-01T06:00:00Z", "2024-03-01T08:30:00Z")
    assert [m["outlet"] for m in body["timeline"] if not m["suggested"]] == ["Riverside News", "Valley Post"]


def test_api_articles_carry_the_publication_time(client, app_session, timed):
    riverside = article_id_for(app_session, RIVERSIDE_NEWS["title"])
    body = client.get(f"/api/v1/articles/{riverside}").json()
    assert body["published"] == "2024-03-01"
    assert body["published_at"].replace("+00:00", "Z") == "2024-03-01T06:00:00Z"


def test_same_day_without_a_time_is_said_to_be_a_tie(client, app_session):
    ingest_all(client, VALLEY_POST, {**RIVERSIDE_NEWS, "published": VALLEY_POST["published"]})
    page = soup(client.get(f"/claims/{claim_id_for(app_session, RIVER)}"))
    assert page.select_one(".first-appearance a.outlet").get_text() == "Valley Post"
    assert page.select_one(".first-appearance").get_text(" ", strip=True).endswith("2024-03-01 (no time given)")
    assert [a.get_text() for a in page.select(".first-ties a")] == ["Riverside News"]


def test_summary_counts_outlets_by_stance_and_fidelity(client, app_session):
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    claim_id = claim_id_for(app_session, RIVER)
    hill = app_session.get(Article, article_id_for(app_session, HILL_GAZETTE["title"]))
    denial = "Nobody has decided to open any flood gate this week"
    start = hill.text.index(denial)
    link_selection(app_session, hill.id, start, start + len(denial), "contradicts", "tester", claim_id=claim_id)
    app_session.commit()
    page = soup(client.get(f"/claims/{claim_id}"))
    counts = {li["data-stance"]: int(li.select_one(".n").get_text()) for li in page.select(".stance-count")}
    assert counts == {"repeats": 2, "contradicts": 1, "discusses": 0}
    fidelity = {s["data-fidelity"]: int(s.select_one(".n").get_text()) for s in page.select(".fidelity-count")}
    stored = [m.fidelity for m in mentions_of(app_session, claim_id)]
    assert fidelity == {f: stored.count(f) for f in ("verbatim", "trimmed", "paraphrased", "altered")}
    assert page.select_one(".outlet-total").get_text() == "3"

    svg = timeline(page)
    shapes = {m.get("data-mention-id"): m.find(f"{SVG}use").get("href") for m in marks(svg)}
    hill_mention = next(m for m in mentions_of(app_session, claim_id) if m.article_id == hill.id)
    assert shapes.pop(str(hill_mention.id)) == "#tl-contradicts"
    assert set(shapes.values()) == {"#tl-repeats"}


def test_timeline_is_accessible_svg_with_one_linked_mark_per_mention(client, app_session, timed):
    response = client.get(f"/claims/{timed}")
    page = soup(response)
    svg = timeline(page)
    assert svg.tag == f"{SVG}svg"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f".//*[@id='{i}']").tag for i in ids] == [f"{SVG}title", f"{SVG}desc"]
    every = every_mention(app_session, timed)
    assert svg.find(f"{SVG}title").text == f"Timeline: {len(every)} mentions in 2 outlets"
    rows = [r.get("data-outlet") for r in svg.findall(f"{SVG}g[@class='tl-row']")]
    assert rows == ["Riverside News", "Valley Post"]
    hrefs = {tuple(map(int, MARK_HREF.match(a.get("href")).groups())) for a in marks(svg)}
    assert hrefs == {(m.article_id, m.id) for m in every}
    # Each mark's label once, as its <title>: the link's accessible name and its tooltip (an
    # aria-label repeating it doubled a big claim's picture); colours come from the stylesheet.
    for a in marks(svg):
        assert a.find(f"{SVG}title").text and a.get("aria-label") is None
        assert a.find(f"{SVG}use").get("fill") is None
    first = [a for a in marks(svg) if "first" in a.get("class").split()]
    assert len(first) == 1 and "first appearance" in first[0].find(f"{SVG}title").text
    # Under the app's CSP: no inline style or script in the picture.
    assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert not svg.xpath("//*[@style] | //*[local-name()='script'] | //@*[starts-with(name(), 'on')]")


def test_the_sources_page_shows_the_same_spread(client, app_session, timed):
    page = soup(client.get(f"/claims/{timed}/sources"))
    assert page.select_one(".first-appearance a.outlet").get_text() == "Riverside News"
    assert len(marks(timeline(page))) == len(every_mention(app_session, timed))
    assert len(confirmed_marks(timeline(page))) == 2


def test_suggestions_are_hollow_for_analysts_and_hidden_from_anonymous_readers(
        client, app_session, database_url, timed):
    pending = {str(m.id) for m in mentions_of(app_session, timed, origin_suggested=True)}
    assert pending, "the matcher suggests each article's headline: the test needs a suggestion"
    svg = timeline(soup(client.get(f"/claims/{timed}")))
    hollow = [a for a in marks(svg) if "suggested" in a.get("class").split()]
    assert {a.get("data-mention-id") for a in hollow} == pending
    for a in hollow:      # hollow and dashed by the class (static/app.css; the browser test checks the paint)
        assert "suggested" in a.find(f"{SVG}title").text
    for a in confirmed_marks(svg):
        assert "suggested" not in a.find(f"{SVG}title").text
    body = client.get(f"/claims/{timed}/sources.json").json()["spread"]
    assert body["suggested"] == len(pending)
    assert {str(m["mention_id"]) for m in body["timeline"] if m["suggested"]} == pending
    assert body["outlet_count"] == 2   # a suggestion is never counted as an outlet

    public = create_app(Settings(database_url=database_url, actor="tester", public_read=True))
    try:
        with TestClient(public) as anon:
            for path in (f"/claims/{timed}", f"/claims/{timed}/sources"):
                page = soup(anon.get(path))
                ids = {a.get("data-mention-id") for a in marks(timeline(page))}
                assert not ids & pending and len(ids) == 2
                assert "suggested" not in page.select_one(".fidelity-summary").get_text()
            body = anon.get(f"/claims/{timed}/sources.json").json()["spread"]
            assert body["suggested"] == 0
            assert all(not m["suggested"] for m in body["timeline"])
            assert not pending & {str(m["mention_id"]) for m in body["timeline"]}
    finally:
        public.state.engine.dispose()


def _many_outlets(session, n: int) -> int:
    """A claim carried by n outlets, one article each on successive days (rows written directly:
    the pipeline is not what this measures)."""
    claim = Claim(text="The county will plant ten thousand oak trees along the old railway line",
                  norm_hash=1, outlet_count=n)
    session.add(claim)
    session.flush()
    for i in range(n):
        outlet = Outlet(name=f"Outlet number {i:03d}", slug=f"outlet-{i:03d}")
        session.add(outlet)
        session.flush()
        text = f"Report {i}\n\n{claim.text}.\n"
        article = Article(outlet_id=outlet.id, title=f"Report {i}", text=text, content_hash=f"{i:064d}",
                          published=date(2024, 1, 1 + i % 28).replace(month=1 + (i // 28) % 12))
        session.add(article)
        session.flush()
        start = text.index(claim.text)
        session.add(Mention(claim_id=claim.id, article_id=article.id, start=start,
                            end=start + len(claim.text), excerpt=claim.text,
                            stance="contradicts" if i % 7 == 3 else "repeats", fidelity="verbatim"))
    refresh_outlet_counts(session, [claim.id])
    session.commit()
    return claim.id


@pytest.mark.parametrize("n", [3, 300])
def test_timeline_stays_readable_from_3_to_300_outlets(client, app_session, n):
    claim_id = _many_outlets(app_session, n)
    page = soup(client.get(f"/claims/{claim_id}"))
    svg = timeline(page)
    rows = svg.findall(f"{SVG}g[@class='tl-row']")
    assert len(rows) == min(n, MAX_ROWS)
    height = int(svg.get("height"))
    assert height <= (MAX_ROWS + 1) * ROW_HEIGHT + 80
    more = svg.find(f".//{SVG}a[@class='tl-more']")
    if n > MAX_ROWS:
        assert more.findtext(f"{SVG}text").startswith(f"+{n - MAX_ROWS} more outlets")
        assert more.get("href") == f"/claims/{claim_id}/sources#sources-table"
        rest = svg.find(f"{SVG}g[@class='tl-rest']")
        # Still drawn, in one row: a mark each, or past MAX_MARKS grouped with their number beside.
        counted = [int(a.findtext(f"{SVG}text[@class='tl-count']") or 1) for a in rest.findall(f"{SVG}a[@data-mention-id]")]
        assert sum(counted) == n - MAX_ROWS and (max(counted) > 1) == (n > MAX_MARKS)
    else:
        assert more is None
    ticks = [t.text for t in svg.findall(f"{SVG}text[@class='tl-tick']")]
    assert 2 <= len(ticks) <= 5 and len(set(ticks)) == len(ticks)
    xs = [float(u.get("x").rstrip("%")) for u in svg.iter(f"{SVG}use")]
    assert xs and all(0 <= x <= 100 for x in xs)
    counts = {li["data-stance"]: int(li.select_one(".n").get_text()) for li in page.select(".stance-count")}
    assert counts["repeats"] + counts["contradicts"] == n


def test_undated_mentions_are_listed_beside_the_timeline(client, app_session):
    ingest_all(client, VALLEY_POST, {**RIVERSIDE_NEWS, "published": ""})
    page = soup(client.get(f"/claims/{claim_id_for(app_session, RIVER)}"))
    assert len(confirmed_marks(timeline(page))) == 1
    undated = [a.get_text() for a in page.select(".undated a")]
    assert f"Riverside News: {RIVERSIDE_NEWS['title']}" in undated
    assert {t.split(": ")[0] for t in undated} == {"Riverside News"}


def test_sources_list_the_publication_time_in_utc(client, timed):
    page = soup(client.get(f"/claims/{timed}/sources"))
    dates = [td.get_text(" ", strip=True) for td in page.select("tr.source .date")]
    assert dates == ["2024-03-01 06:00 UTC", "2024-03-01 08:30 UTC"]
    sources = client.get(f"/claims/{timed}/sources.json").json()["sources"]
    assert [s["published_at"] for s in sources] == ["2024-03-01T06:00:00+00:00", "2024-03-01T08:30:00+00:00"]
    claim_page = soup(client.get(f"/claims/{timed}"))
    assert "2024-03-01 08:30 UTC" in [s.get_text(" ", strip=True) for s in claim_page.select(".mention .date")]


def test_a_sources_csv_time_is_kept(tmp_path):
    """`claimtracker ingest --sources`: a datetime in the published column keeps its time (in UTC)."""
    from click.testing import CliRunner
    from sqlalchemy import select

    from app.cli import main
    from app.storage.engine import make_engine

    url = f"sqlite:///{tmp_path / 'csv.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--database-url", url]).exit_code == 0
    (tmp_path / "valley.txt").write_text(VALLEY_POST["text"], encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,outlet,published,author,title\n"
                                          "valley.txt,Valley Post,2024-03-01T09:30:00+02:00,,\n",
                                          encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(tmp_path / "valley.txt"), "--sources",
                                  str(tmp_path / "sources.csv"), "--database-url", url])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    with engine.connect() as conn:
        published, published_at = conn.execute(select(Article.published, Article.published_at)).one()
    engine.dispose()
    assert published == date(2024, 3, 1)
    assert published_at.replace(tzinfo=timezone.utc) == datetime(2024, 3, 1, 7, 30, tzinfo=timezone.utc)
