"""Scale benchmark: a synthetic store of N claims, served by the app and by Datasette on the same
SQLite file, measured under load; and ingest throughput into that store. Not a test.

    make bench-scale SIZE=100000            (or: python -m bench.scale --claims 100000 --out DIR)

Steps, each timed: generate the archive (bench/scale_gen.py) -> `db upgrade` a new SQLite file ->
bulk-load it (app/domain/bulk.py) -> serve it with uvicorn (one worker, public read on) and drive
each page with wrk (32 connections, --seconds each) -> serve the same file with Datasette and drive
its row page, filtered table and full-text search -> ingest a few generated articles through the
normal ingest path (extraction, matching, stance), one commit each, for at most --ingest-seconds.
Prints one table (our figure over Datasette's as a ratio where one compares) and writes it as JSON.

Reading the table: req/s, p50 and p99 are wrk's over the requests that finished within the run, so
a page slower than --seconds under 32 connections shows 0 req/s and no percentiles (give it more
--seconds); "alone ms" is one request of the page with nothing else running, taken just before the
load, once the server is idle again (after a run it goes on answering what the run left queued;
meanwhile a request that waited its turn past CLAIMTRACKER_REQUEST_QUEUE_SECONDS gets a 503,
which wrk counts); "err" counts non-2xx answers and socket errors wrk saw within the run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench.scale_gen import Generated, generate, ingest_articles
from bench.scale_serve import Load, Server, free_port, run_reads_and_writes, run_wrk


def build_store(out: Path, claims: int, reuse: bool) -> tuple[Path, Generated, dict]:
    """The generated JSONL and the loaded SQLite file, with how long each took (seconds)."""
    from app.domain.bulk import load_records, read_jsonl
    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.migrate import upgrade

    data, db, meta = out / f"scale-{claims}.jsonl", out / f"scale-{claims}.db", out / f"scale-{claims}.json"
    if reuse and db.exists() and meta.exists():
        saved = json.loads(meta.read_text())
        t = time.monotonic()
        upgrade(f"sqlite:///{db}")   # a store built by older code: to this code's schema (the app refuses others)
        if (took := time.monotonic() - t) > 1:
            print(f"  reused store migrated to the newest schema in {took:.0f} s", file=sys.stderr)
        return db, Generated(**saved["generated"]), saved["timings"]
    timings = {}
    t = time.monotonic()
    gen = generate(data, claims)
    timings["generate_s"] = time.monotonic() - t
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    upgrade(url)
    engine = make_engine(url)
    t, cpu = time.monotonic(), time.process_time()
    with make_sessionmaker(engine)() as session:
        report = load_records(session, read_jsonl(data), "bench", batch=1000,
                              progress=lambda r: print(f"  loaded {r.added} articles, {r.claims} claims, "
                                                       f"{r.mentions} mentions", file=sys.stderr))
    timings["bulk_load_s"] = time.monotonic() - t
    timings["bulk_load_cpu_s"] = time.process_time() - cpu
    timings["bulk_load_loadavg"] = list(os.getloadavg())
    engine.dispose()
    if report.errors:
        raise SystemExit(f"bulk load refused {len(report.errors)} lines, first: {report.errors[0]}")
    timings["db_mib"] = db.stat().st_size / 2**20
    data.unlink()      # the JSONL is as big as the store; the store is what is measured
    meta.write_text(json.dumps({"generated": asdict(gen), "timings": timings}))
    return db, gen, timings


def lookups(db: Path, gen: Generated) -> dict:
    """Ids and slugs the URLs need, read from the store."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        counts = con.execute("SELECT claim_id, count(*) FROM mentions GROUP BY claim_id").fetchall()
        big = max(counts, key=lambda r: r[1])
        waiting = con.execute("SELECT count(*) FROM mentions WHERE claim_id = ? AND origin = 'suggested'",
                              (big[0],)).fetchone()[0]
        medium = min(counts, key=lambda r: (abs(r[1] - 50), r[0]))
        outlet = con.execute("SELECT id, slug FROM outlets WHERE name = ?", (gen.filter_outlet,)).fetchone()
        # The two outlets with the most articles: the matrix cell with most claims behind it.
        pair = [r[0] for r in con.execute("SELECT o.slug FROM outlets AS o JOIN articles AS a ON a.outlet_id = o.id "
                                          "GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 2")]
        fts = {label: con.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?",
                                  (f'"{w}"*',)).fetchone()[0] for label, w in gen.words.items()}
    finally:
        con.close()
    return {"big": big, "big_suggested": waiting, "medium": medium, "outlet_slug": outlet[1],
            "outlet_id": outlet[0], "fts": fts, "pair": pair}


def app_targets(gen: Generated, ids: dict) -> list[tuple[str, str, dict]]:
    hx = {"HX-Request": "true"}
    listing = f"/claims?outlet={ids['outlet_slug']}&status={gen.filter_status}"
    targets = [(f"claim page, {ids['medium'][1]} mentions", f"/claims/{ids['medium'][0]}", {}),
               (f"claim page, {ids['big'][1]} mentions", f"/claims/{ids['big'][0]}", {}),
               ("claims list, outlet+status, full page", listing, {}),
               ("claims list, outlet+status, fragment", listing, hx)]
    for label, word in gen.words.items():
        targets.append((f"search {label} ({ids['fts'][label]} claims), full page", f"/claims?q={word}", {}))
        targets.append((f"search {label} ({ids['fts'][label]} claims), fragment", f"/claims?q={word}", hx))
    targets.append((f"claim page, {ids['big'][1]} mentions, more (page 2)",
                    f"/claims/{ids['big'][0]}/mentions?page=2", hx))
    targets.append((f"sources.json, {ids['big'][1]} mentions", f"/claims/{ids['big'][0]}/sources.json", {}))
    # The timeline is drawn on the claim page (its spread); the matrix is a page of its own.
    targets.append(("outlet matrix", "/outlet-matrix", {}))
    a, b = ids["pair"]
    targets.append(("outlet matrix cell", f"/outlet-matrix/cell?a={a}&b={b}&kind=both_repeat", {}))
    return targets


def analyst_targets(ids: dict, cookie: str) -> list[tuple[str, str, dict]]:
    """The claim pages as a logged-in analyst reads them (its session and form-token cookies, as a
    browser sends them): the stance, unlink, status and tag forms on every page, and on the big
    claim its suggestions waiting (bench/scale_gen.py makes some; an older store has none)."""
    analyst = {"Cookie": cookie}
    waiting = f", {ids['big_suggested']} suggested" if ids.get("big_suggested") else ""
    return [(f"claim page, {ids['medium'][1]} mentions, analyst", f"/claims/{ids['medium'][0]}", analyst),
            (f"claim page, {ids['big'][1]} mentions{waiting}, analyst", f"/claims/{ids['big'][0]}", analyst)]


def selected(targets: list[tuple[str, str, dict]], only: list[str] | None) -> list[tuple[str, str, dict]]:
    return [t for t in targets if not only or any(part in t[0] for part in only)]


def datasette_targets(db: Path, gen: Generated, ids: dict) -> dict[str, tuple[str, str]]:
    name = db.stem
    words = {label: f"/{name}/claims?_search={w}" for label, w in gen.words.items()}
    return {"row": ("row page /claims/{id}", f"/{name}/claims/{ids['medium'][0]}"),
            "row.json": ("row JSON", f"/{name}/claims/{ids['big'][0]}.json"),
            "filtered": ("claims?status=&outlet_count__gte=2", f"/{name}/claims?status={gen.filter_status}"
                                                             f"&outlet_count__gte=2"),
            **{f"search {label}": (f"_search {label}", url) for label, url in words.items()}}


# Which Datasette figure each of ours is set against.
def _versus(name: str) -> str | None:
    if name.startswith("claim page"):
        return "row"
    if name.startswith("claims list"):
        return "filtered"
    if name.startswith("search"):
        return name.split(" (")[0]
    if name.startswith("sources.json"):
        return "row.json"
    return None


def measure(args, db: Path, gen: Generated, ids: dict) -> dict:
    out: Path = args.out
    port = free_port()
    app = Server([sys.executable, "-m", "uvicorn", "--factory", "app.main:serve_app", "--host", "127.0.0.1",
                  "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"],
                 port, {"CLAIMTRACKER_DATABASE_URL": f"sqlite:///{db}", "CLAIMTRACKER_PUBLIC_READ": "true"},
                 out / "app.log", "/healthz")
    try:
        targets = app_targets(gen, ids) + analyst_targets(
            ids, log_in(app.base, f"sqlite:///{db}", "bench-analyst", "analyst"))
        ours = [run_wrk(name, app, path, args.seconds, args.connections, headers)
                for name, path, headers in selected(targets, args.only)]
        app_peak = app.peak_rss_mib()
    finally:
        app.stop()
    theirs, ds_peak = {}, None
    if args.datasette:
        meta = out / "datasette.json"
        meta.write_text(json.dumps({"databases": {db.stem: {"tables": {
            "claims": {"fts_table": "claims_fts", "fts_pk": "id"}}}}}))
        port = free_port()
        ds = Server([args.datasette, "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
                     "--metadata", str(meta)], port, {}, out / "datasette.log", "/-/versions.json")
        wanted = {_versus(load.name) for load in ours}
        try:
            for key, (name, path) in datasette_targets(db, gen, ids).items():
                if args.only and key not in wanted:
                    continue
                theirs[key] = run_wrk(f"datasette {name}", ds, path, args.seconds, args.connections,
                                      refusal_is_zero=True)
            ds_peak = ds.peak_rss_mib()
        finally:
            ds.stop()
    return {"ours": ours, "datasette": theirs, "app_peak_mib": app_peak, "datasette_peak_mib": ds_peak}


def app_server(out: Path, database_url: str, workers: int, log: str = "app.log") -> Server:
    port = free_port()
    return Server([sys.executable, "-m", "uvicorn", "--factory", "app.main:serve_app", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
                   "--no-access-log", "--log-level", "warning"],
                  port, {"CLAIMTRACKER_DATABASE_URL": database_url, "CLAIMTRACKER_PUBLIC_READ": "true"},
                  out / log, "/healthz")


def fill_postgres(db: Path, url: str) -> None:
    """The SQLite store copied into the PostgreSQL database at url (`claimtracker db copy`), unless
    that database already holds it (a --reuse run)."""
    from sqlalchemy import inspect, text

    from app.storage.copy import copy_database
    from app.storage.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if inspect(conn).has_table("claims") and conn.execute(text("SELECT count(*) FROM claims")).scalar():
                return
    finally:
        engine.dispose()
    t = time.monotonic()
    report = copy_database(f"sqlite:///{db}", url)
    print(f"copied {report.total} rows to PostgreSQL in {time.monotonic() - t:.0f} s", file=sys.stderr)


def _cli(url: str):
    env = {**os.environ, "DATABASE_URL": url, "CLAIMTRACKER_DATABASE_URL": url}
    cli = [str(Path(sys.executable).with_name("claimtracker"))]
    return lambda *argv, **kw: subprocess.run(cli + list(argv), env=env, capture_output=True, text=True,
                                              check=True, **kw).stdout


def bench_user(url: str, name: str, role: str) -> str:
    """A user of the database at url (made if missing, password "NAME password"); its password."""
    cli, password = _cli(url), f"{name} password"
    if name not in cli("user", "list"):
        cli("user", "add", name, "--role", role, "--actor", "bench", input=password + "\n")
    return password


def writer_token(url: str) -> str:
    """An API token of an analyst "bench-writer" in the database at url (made if missing)."""
    bench_user(url, "bench-writer", "analyst")
    return _cli(url)("user", "token", "bench-writer", f"bench-{os.getpid()}").strip().split()[-1]


def log_in(base: str, url: str, name: str, role: str) -> str:
    """The Cookie header of a browser that logged in as `name` on the server at base (the session
    and the form token the login set)."""
    import httpx

    password = bench_user(url, name, role)
    r = httpx.post(base + "/login", data={"name": name, "password": password}, headers={"Origin": base})
    if r.status_code != 303 or "claimtracker_session" not in r.cookies:
        raise RuntimeError(f"bench login as {name} failed: {r.status_code} {r.text[:200]}")
    return "; ".join(f"{k}={v}" for k, v in r.cookies.items())


def measure_workers(args, gen: Generated, ids: dict, url: str) -> list[dict]:
    """The claim page and the claims list served from PostgreSQL by uvicorn with each --workers
    count, then the claim page read while the API takes tag writes from --writers connections."""
    token = writer_token(url)
    listing = f"/claims?outlet={ids['outlet_slug']}&status={gen.filter_status}"
    targets = [(f"claim page, {ids['medium'][1]} mentions", f"/claims/{ids['medium'][0]}", {}),
               ("claims list, outlet+status, full page", listing, {}),
               ("claims list, outlet+status, fragment", listing, {"HX-Request": "true"})]
    runs = []
    for workers in args.workers:
        server = app_server(args.out, url, workers, f"app-pg-{workers}.log")
        try:
            loads = [run_wrk(name, server, path, args.seconds, args.connections, headers)
                     for name, path, headers in targets]
            loads += run_reads_and_writes(targets[0][0], server, targets[0][1], (1, args.claims), token,
                                          args.seconds, args.connections, args.writers, args.out)
            runs.append({"workers": workers, "loads": [asdict(x) for x in loads],
                         "peak_mib": server.peak_rss_mib()})
        finally:
            server.stop()
    return runs


def workers_table(runs: list[dict]) -> str:
    rows = [f"{'workers':>7}  {'what':48} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} {'KB':>6} {'err':>4}"]
    for run in runs:
        for d in run["loads"]:
            rows.append(f"{run['workers']:7d}  {d['name'][:48]:48} {d['requests_per_s']:8.1f} "
                        f"{d['p50_ms']:9.1f} {d['p99_ms']:9.1f} {d['bytes_per_request'] / 1024:6.0f} "
                        f"{d['errors']:4d}")
        rows.append(f"{run['workers']:7d}  peak memory, all processes summed: {run['peak_mib']:.0f} MiB")
    return "\n".join(rows)


#: What the ingested articles repeat (--ingest-mix). Each article quotes two new statements and
#: repeats one stored claim by its speaker (bench.scale_gen.ingest_articles). Undated: a dated
#: article more than linking.CLAIM_MOMENT_DAYS after a claim's first appearance would make another
#: claim of its words, and the generated archive spreads a big claim's mentions over two years.
INGEST_MIXES = {
    "popular": "each repeats a stored claim drawn by its confirmed mentions (the biggest claims repeated "
               "as often as the archive repeats them), undated",
    "newest": "each repeats one of the 200 newest claims in turn, undated (the figure measured before "
              "the popular mix; it never repeats a big claim)",
    "biggest": "each repeats the claim with the most confirmed mentions, undated",
}


def _ingest_texts(con, claims: int, count: int, mix: str) -> tuple[list[str], list[int]]:
    """The articles' texts and the confirmed mentions each repeated claim had in the store."""
    from bench.scale_gen import popular_picks

    if mix == "newest":
        rows = con.execute("SELECT c.text, s.name, c.id FROM claims AS c JOIN speakers AS s ON s.id = c.speaker_id "
                           "ORDER BY c.id DESC LIMIT 200").fetchall()
        picks = None
    else:
        counted = con.execute("SELECT claim_id, count(*) FROM mentions WHERE origin != 'suggested' "
                              "GROUP BY claim_id ORDER BY claim_id").fetchall()
        drawn = ([max(range(len(counted)), key=lambda k: counted[k][1])] * count if mix == "biggest"
                 else popular_picks([n for _, n in counted], count))
        chosen = sorted({counted[k][0] for k in drawn})
        found = {}
        for at in range(0, len(chosen), 500):
            part = chosen[at:at + 500]
            found.update((r[2], r) for r in con.execute(
                "SELECT c.text, s.name, c.id FROM claims AS c JOIN speakers AS s ON s.id = c.speaker_id "
                f"WHERE c.id IN ({','.join('?' * len(part))})", part))
        rows = [found[cid] for cid in chosen]
        index = {cid: k for k, cid in enumerate(chosen)}
        picks = [index[counted[k][0]] for k in drawn]
    texts = ingest_articles(claims, [(r[0], r[1]) for r in rows], count, picks=picks)
    ids = [rows[picks[i] if picks is not None else i % len(rows)][2] for i in range(count)]
    sizes = dict(con.execute(f"SELECT claim_id, count(*) FROM mentions WHERE origin != 'suggested' AND claim_id IN "
                             f"({','.join(map(str, sorted(set(ids))))}) GROUP BY claim_id").fetchall())
    return texts, [sizes.get(c, 0) for c in ids]


def measure_ingest(db: Path, claims: int, count: int, seconds: float, mix: str = "popular") -> dict:
    """Articles a second through the normal ingest path into the generated store (`mix`: which
    stored claims the articles repeat, INGEST_MIXES)."""
    import sqlite3

    from app.domain.articles import ArticleInput, ingest_and_commit
    from app.domain.ingest import batch_collector
    from app.domain.matching import MatchConfig
    from app.settings import Settings
    from app.storage.engine import make_engine, make_sessionmaker

    con = sqlite3.connect(db)
    texts, repeated = _ingest_texts(con, claims, count, mix)
    # A copy of its own for each mix: the process keeps what it read of a store (postings, the
    # vocabulary) by its URL, so with one path the second mix would start warm from the first.
    copy = db.with_name(f"{db.stem}-ingest-{mix}.db")
    target = sqlite3.connect(copy)
    con.backup(target)         # ingest writes to a copy: a --reuse run measures the store as loaded
    target.close()
    con.close()
    settings = Settings(database_url=f"sqlite:///{copy}")
    config = MatchConfig.from_settings(settings)
    engine = make_engine(settings.database_url, batch=True)   # as `claimtracker ingest`
    done, new_claims, mentions = 0, 0, 0
    start, cpu = time.monotonic(), time.process_time()
    with make_sessionmaker(engine)() as session, batch_collector():   # as `claimtracker ingest`
        for i, text in enumerate(texts):
            result = ingest_and_commit(session, ArticleInput(text=text, outlet=f"Bench Wire {i % 5}"), "bench",
                                       matching=config)
            done += 1
            new_claims += result.new_claims
            mentions += result.mentions
            if time.monotonic() - start > seconds:
                break
    elapsed, cpu = time.monotonic() - start, time.process_time() - cpu
    loadavg = list(os.getloadavg())
    engine.dispose()
    for p in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        p.unlink(missing_ok=True)
    sizes = sorted(repeated[:done])
    return {"mix": mix, "articles": done, "seconds": elapsed, "articles_per_s": done / elapsed,
            "cpu_seconds": cpu, "articles_per_cpu_s": done / cpu if cpu else 0.0, "loadavg": loadavg,
            "peak_rss_mib": _peak_rss_mib(), "new_claims": new_claims, "mentions": mentions,
            "repeated_mentions": {"median": sizes[len(sizes) // 2] if sizes else 0, "max": sizes[-1] if sizes else 0,
                                  "over_200": sum(n > 200 for n in sizes)}}


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingest_line(ing: dict) -> str:
    rep = ing.get("repeated_mentions")
    mix = (f" [{ing['mix']} mix: {INGEST_MIXES[ing['mix']]}; the repeated claims had median {rep['median']}, "
           f"max {rep['max']} confirmed mentions, {rep['over_200']} articles repeated one of over 200]"
           if rep else "")
    return (f"ingest{mix}: {ing['articles']} articles in {ing['seconds']:.1f} s = {ing['articles_per_s']:.2f} "
            f"articles/s ({ing.get('articles_per_cpu_s', 0):.2f} a CPU second; load average "
            f"{', '.join(f'{x:.1f}' for x in ing.get('loadavg', []))}; peak RSS "
            f"{ing.get('peak_rss_mib', 0):.0f} MiB) ({ing['new_claims']} new claims, {ing['mentions']} mentions)")


def table(result: dict) -> str:
    rows = [f"{'what':52} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} {'alone ms':>9} {'KB':>7} {'err':>4}  "
            f"{'vs Datasette':>12} {'load':>5}"]
    theirs = result["datasette"]
    for load in result["ours"] + list(theirs.values()):
        d = load if isinstance(load, dict) else asdict(load)
        other = theirs.get(_versus(d["name"]) or "")
        ratio = f"{d['requests_per_s'] / other.requests_per_s:.2f}x" if other and other.requests_per_s else ""
        rows.append(f"{d['name'][:52]:52} {d['requests_per_s']:8.1f} {d['p50_ms']:9.1f} {d['p99_ms']:9.1f} "
                    f"{d['alone_ms']:9.1f} {d['bytes_per_request'] / 1024:7.0f} {d['errors']:4d}  {ratio:>12} "
                    f"{d.get('loadavg', float('nan')):5.1f}")
    rows.append(f"peak memory: app {result['app_peak_mib']:.0f} MiB, Datasette "
                + (f"{result['datasette_peak_mib']:.0f} MiB" if result["datasette_peak_mib"] else "not run"))
    rows += ([ingest_line(ing) for ing in result.get("ingest_mixes") or [result["ingest"]]] if result["ingest"]
             else ["ingest: not run"])
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--claims", type=int, default=10_000)
    p.add_argument("--out", type=Path, default=Path("bench/out"))
    p.add_argument("--seconds", type=int, default=10, help="wrk duration per URL")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--datasette", default=shutil.which("datasette"), help="datasette executable")
    p.add_argument("--ingest-articles", type=int, default=200, help="0: no ingest step")
    p.add_argument("--only", type=lambda v: v.split(","), metavar="PART,PART",
                   help="only our pages whose name has one of these parts (e.g. 'analyst,50 mentions'), "
                        "and only the Datasette figures they are set against")
    p.add_argument("--ingest-seconds", type=float, default=60, help="at most, for each --ingest-mix")
    p.add_argument("--ingest-mix", type=lambda v: v.split(","), default=["popular", "newest"], metavar="MIX,MIX",
                   help="what the ingested articles repeat, one line each: " + "; ".join(
                       f"{k}: {v}" for k, v in INGEST_MIXES.items()) + " (default: popular,newest)")
    p.add_argument("--reuse", action="store_true", help="measure the store a previous run built")
    p.add_argument("--json", type=Path, help="default: OUT/scale-N-result.json")
    p.add_argument("--postgres", metavar="URL",
                   help="serve the store from this PostgreSQL database instead (copied into it with "
                        "`claimtracker db copy` when it is empty) with each --workers count; no Datasette, "
                        "no ingest")
    p.add_argument("--workers", type=lambda v: [int(n) for n in v.split(",")], default=[1, 2, 4],
                   help="uvicorn worker counts for --postgres, e.g. 1,2,4")
    p.add_argument("--writers", type=int, default=4, help="connections writing tags through the API "
                                                          "during the --postgres read+write run")
    p.add_argument("--only-ingest", action="store_true",
                   help="only the ingest step (no servers): articles/s into a copy of the store")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    db, gen, timings = build_store(args.out, args.claims, args.reuse)
    articles = gen.shape["articles"]
    cpu = timings.get("bulk_load_cpu_s")
    print(f"store: {gen.shape} {gen.mentions} mentions; generate {timings['generate_s']:.0f} s, "
          f"bulk load {timings['bulk_load_s']:.0f} s ({articles / timings['bulk_load_s'] * 60:,.0f} articles/min"
          + (f"; {cpu:.0f} s of CPU, {articles / cpu * 60:,.0f} articles/min of CPU, load average "
             f"{', '.join(f'{x:.1f}' for x in timings['bulk_load_loadavg'])} at its end" if cpu else "")
          + f"), {timings['db_mib']:.0f} MiB", file=sys.stderr)
    if args.only_ingest:
        for mix in args.ingest_mix:
            print(ingest_line(measure_ingest(db, args.claims, args.ingest_articles, args.ingest_seconds, mix)))
        return
    ids = lookups(db, gen)
    if args.postgres:
        from app.storage.engine import normalize_url

        url = normalize_url(args.postgres)
        fill_postgres(db, url)
        runs = measure_workers(args, gen, ids, url)
        print(workers_table(runs))
        path = args.json or args.out / f"scale-{args.claims}-postgres-result.json"
        path.write_text(json.dumps({"claims": args.claims, "mentions": gen.mentions, "workers": runs,
                                    "seconds_per_url": args.seconds, "connections": args.connections,
                                    "writers": args.writers}, indent=2))
        print(f"written: {path}", file=sys.stderr)
        return
    result = measure(args, db, gen, ids)
    result["ingest_mixes"] = ([measure_ingest(db, args.claims, args.ingest_articles, args.ingest_seconds, mix)
                               for mix in args.ingest_mix] if args.ingest_articles else [])
    result["ingest"] = result["ingest_mixes"][0] if result["ingest_mixes"] else None
    result["page_cache_mb"] = os.environ.get("CLAIMTRACKER_PAGE_CACHE_MB")
    result["loadavg_after"] = list(os.getloadavg())
    result.update(claims=args.claims, shape=gen.shape, mentions=gen.mentions, timings=timings,
                  words={k: [w, ids["fts"][k]] for k, w in gen.words.items()},
                  seconds_per_url=args.seconds, connections=args.connections)
    text = table(result)
    print(text)
    result["ours"] = [asdict(x) for x in result["ours"]]
    result["datasette"] = {k: asdict(v) for k, v in result["datasette"].items()}
    path = args.json or args.out / f"scale-{args.claims}-result.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"written: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
