"""Batches of files into articles: each file committed on its own, one bad file never stops the rest."""
from __future__ import annotations

import gc
import multiprocessing
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.article_linking import ArticlePlan, plan_article
from app.domain.articles import ArticleInput, ingest_and_commit, validate_article
from app.domain.matching import MatchConfig, score_windows
from app.domain.errors import DomainError
from app.domain.inputs import check_storable
from app.pipeline.article_records import RecordsError, is_records_file, is_sources_csv, parse_article_records
from app.pipeline.documents import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    DocumentError,
    parse_document,
    parse_published,
    parse_sources_csv,
)
from app.storage.engine import BUSY_MESSAGE, is_busy_error, make_engine
from app.storage.search import claims_vocabulary, pin_claims_vocabulary
from app.storage.term_counts import portable, snapshot_identity

FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES


@dataclass(frozen=True)
class BatchResult:
    name: str
    status: str                 # "added", "present" or "failed"
    article_id: int | None = None
    error: str | None = None
    quotes: int = 0
    new_claims: int = 0
    mentions: int = 0
    suggestions: int = 0
    notes: tuple[str, ...] = ()       # what the bounds on work per article left out


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the article files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES))
        else:
            out.append(p)
    return out


def shown_name(name: str | Path) -> str:
    """A file name fit to print and store: bytes that were not UTF-8 (read with surrogateescape)
    become U+FFFD instead of lone surrogates that no encoder or text column takes."""
    try:
        raw = str(name).encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        raw = str(name).encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def article_input(name: str, data: bytes, meta: dict[str, str | None]) -> ArticleInput:
    """Parse a file and merge its metadata: given fields win over what the document says. Text no
    column can store (NUL, a lone surrogate) in the metadata is refused here, naming the field."""
    for key, value in meta.items():
        check_storable(value, key)
    doc = parse_document(name, data)
    published, published_at = parse_published(meta.get("published") or doc.published)
    article = ArticleInput(
        text=doc.text, outlet=(meta.get("outlet") or "").strip(),
        title=meta.get("title") or doc.title, author=meta.get("author") or doc.author,
        url=meta.get("url") or doc.url, published=published, published_at=published_at,
        source_name=shown_name(Path(name).name))
    for key in ("text", "title", "author", "url"):
        check_storable(getattr(article, key), key)
    return article


def ingest_bytes(session: Session, name: str, data: bytes, meta: dict[str, str | None], actor: str,
                 max_bytes: int, matching: MatchConfig | None = None) -> BatchResult:
    """One file, committed on success and rolled back on failure, reported either way. The same
    text stored by another request or process at the same moment is "present" (ingest_and_commit)."""
    prepared = prepare_item(BatchItem(name, meta, data=data), max_bytes, plan_limits(matching))
    return _ingest_prepared(session, prepared, actor, max_bytes, matching, name)


@dataclass(frozen=True)
class BatchItem:
    """One article of a batch: a file (read when its turn comes), a record of a JSON lines or CSV
    file (its text in hand), or what could not be read (error)."""

    name: str                            # as reported and stored: the file, or "file.jsonl:LINE"
    meta: dict[str, str | None]
    path: Path | None = None
    data: bytes | None = None
    error: str | None = None


def _given(meta: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in meta.items() if v}


def record_items(name: str, data: bytes, defaults: dict[str, str | None]) -> list[BatchItem]:
    """The articles of a .jsonl or .csv file, each with its own metadata over `defaults`."""
    try:
        records = parse_article_records(name, data)
    except RecordsError as exc:
        return [BatchItem(name, {}, error=str(exc))]
    if not records:
        return [BatchItem(name, {}, error="no articles in the file")]
    return [BatchItem(f"{name}:{r.line}", {**_given(defaults), **r.meta},
                      data=r.text.encode("utf-8", "surrogatepass") if r.text is not None else None,
                      error=r.error) for r in records]


def batch_items(files: list[Path], defaults: dict[str, str | None],
                sources: dict[str, dict[str, str]]) -> list[BatchItem]:
    """What a batch of files holds: a file is one article (its sources.csv row over `defaults`),
    a .jsonl or .csv file named on its own is one article a record."""
    items: list[BatchItem] = []
    for path in files:
        name = shown_name(path)
        if not is_records_file(path.name):
            items.append(BatchItem(name, {**_given(defaults), **sources.get(path.name, {})}, path=path))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            items.append(BatchItem(name, {}, error=f"cannot read: {exc.strerror or exc}"))
            continue
        items.extend(record_items(name, data, defaults))
    return items


@dataclass
class Uploads:
    items: list[BatchItem]
    sources: list[str]              # the sources CSVs among the uploads
    files: int = 0                  # single-article files among the uploads
    described: int = 0              # of which a sources CSV row gave metadata to


def upload_items(uploads: list[tuple[str, bytes | int]], defaults: dict[str, str | None],
                 max_bytes: int) -> Uploads:
    """Files uploaded together (the browser's several files): a CSV naming files is their
    sources.csv (each file's own outlet, date, author, title over the form's `defaults`), a .jsonl
    or articles .csv is one article a record, any other file one article. An int in place of the
    bytes is the size of a file too large to read."""
    tables = {i for i, (n, d) in enumerate(uploads) if isinstance(d, bytes) and is_sources_csv(n, d)}
    sources: dict[str, dict[str, str]] = {}
    out = Uploads([], [shown_name(uploads[i][0]) for i in sorted(tables)])
    for i in sorted(tables):
        try:
            sources.update(parse_sources_csv(decode_sources(uploads[i][1])))
        except DocumentError as exc:
            out.items.append(BatchItem(shown_name(uploads[i][0]), {}, error=str(exc)))
    for i, (name, data) in enumerate(uploads):
        if i in tables:
            continue
        shown = shown_name(name)
        if isinstance(data, int):
            out.items.append(BatchItem(shown, {}, error=f"file is {data:,} bytes, over the limit of {max_bytes:,} bytes"))
        elif is_records_file(name):
            out.items.extend(record_items(shown, data, defaults))
        else:
            row = sources.get(Path(name).name, {})
            out.files += 1
            out.described += bool(row)
            out.items.append(BatchItem(shown, {**_given(defaults), **row}, data=data))
    return out


def decode_sources(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"sources CSV is not UTF-8 (undecodable byte at offset {exc.start})") from None


@dataclass(frozen=True)
class Prepared:
    """A batch item read, parsed, checked and planned (plan_article) from its bytes alone, touching
    no database: the part of an ingest that `workers` processes do side by side. `error`: the item
    failed there, and is reported as failed."""

    item: BatchItem
    article: ArticleInput | None = None
    plan: ArticlePlan | None = None
    error: str | None = None


def plan_limits(matching: MatchConfig | None) -> tuple[int, int]:
    """The bounds plan_article takes from the config (quotations an article, statements a quotation)."""
    config = matching or MatchConfig(scorer=None)
    return config.max_quotes, config.max_statements


def prepare_item(item: BatchItem, max_bytes: int, limits: tuple[int, int]) -> Prepared:
    """Pure (a file is read, nothing written): safe in a worker process."""
    if item.error:
        return Prepared(item, error=item.error)
    data = item.data
    if data is None:
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            return Prepared(item, error=f"cannot read: {exc.strerror or exc}")
    try:
        if len(data) > max_bytes:
            raise DocumentError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
        article = article_input(str(item.path or item.name), data, item.meta)
        validate_article(article, max_bytes)
        plan = plan_article(article.text, MatchConfig(max_quotes=limits[0], max_statements=limits[1], scorer=None))
    except (DocumentError, DomainError) as exc:
        return Prepared(item, error=getattr(exc, "message", None) or str(exc))
    return Prepared(item, article, plan)


def prepared_items(items: list[BatchItem], max_bytes: int, limits: tuple[int, int],
                   workers: int = 1, link: tuple[Session, MatchConfig] | None = None) -> Iterator[Prepared]:
    """prepare_item of each item, in the items' order: here, one by one, or by `workers` processes
    a few items ahead of the caller (at most PREPARED_AHEAD a worker wait in memory). `link`: the
    linking session and config; the workers then also score each article's sentence windows
    against the stored claims (matching.score_windows, reading the store on connections of their
    own, with the vocabulary that session's process weighs with), which the linking takes where
    still right (see matching.ReadyWindows)."""
    if workers <= 1 or len(items) <= 1:
        yield from (prepare_item(item, max_bytes, limits) for item in items)
        return
    ahead_linker = _AheadLinker(*link) if link is not None and link[1].embedder is None else None
    init = (_init_worker, ahead_linker.init_args()) if ahead_linker else (None, ())
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=init[0], initargs=init[1]) as pool, \
            tempfile.TemporaryDirectory(prefix="ingest-vocab-") as folder:
        def submit(item: BatchItem):
            if ahead_linker is None:
                return pool.submit(prepare_item, item, max_bytes, limits)
            return pool.submit(_prepare_and_score, item, max_bytes, limits, ahead_linker.vocab(Path(folder)))
        ahead: deque = deque()
        todo = iter(items)
        for item in todo:
            ahead.append(submit(item))
            if len(ahead) >= PREPARED_AHEAD * workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


class _AheadLinker:
    """The linking process's side of scoring ahead: what the workers need to score as it would."""

    def __init__(self, session: Session, config: MatchConfig):
        self.session, self.config = session, config
        self.shipped: tuple[tuple[int, float], str] | None = None

    def init_args(self) -> tuple:
        url = self.session.get_bind().url.render_as_string(hide_password=False)
        return url, self.config

    def vocab(self, folder: Path) -> tuple[tuple[int, float], str]:
        """The identity of the claims' vocabulary this process weighs with now, and a file holding
        it for the workers (written once a vocabulary: a big store keeps one for minutes)."""
        snap = claims_vocabulary(self.session)
        identity = snapshot_identity(snap)
        if self.shipped is None or self.shipped[0] != identity:
            path = folder / f"vocab-{identity[0]}-{identity[1]!r}.pickle"
            path.write_bytes(pickle.dumps(portable(snap), protocol=pickle.HIGHEST_PROTOCOL))
            self.shipped = identity, str(path)
        return self.shipped


_WORKER: dict = {}


def _init_worker(url: str, config: MatchConfig) -> None:
    _WORKER.update(engine=make_engine(url, batch=True), config=config, vocab=None)


def _prepare_and_score(item: BatchItem, max_bytes: int, limits: tuple[int, int],
                       vocab: tuple[tuple[int, float], str]) -> Prepared:
    """prepare_item, then the article's windows scored (matching.score_windows): reads only."""
    prepared = prepare_item(item, max_bytes, limits)
    if prepared.error:
        return prepared
    identity, path = vocab
    if _WORKER["vocab"] != identity:
        pin_claims_vocabulary(pickle.loads(Path(path).read_bytes()))
        _WORKER["vocab"] = identity
    statements = [st.text for unit in prepared.plan.units for st in unit.statements]
    try:
        with Session(_WORKER["engine"]) as session:
            ready = score_windows(session, prepared.article.text, _WORKER["config"], identity, statements)
    except SQLAlchemyError:
        return prepared      # the store could not be read here (busy, gone): the linking reads it
    return replace(prepared, plan=replace(prepared.plan, ready=ready))


PREPARED_AHEAD = 4


# The garbage collector's thresholds while a batch ingests (see batch_collector); Python's own are
# (700, 10, 10).
BATCH_GC_THRESHOLDS = (20_000, 20, 10)


@contextmanager
def batch_collector() -> Iterator[None]:
    """Python's garbage collector run less often while a process ingests a batch
    (BATCH_GC_THRESHOLDS), its own thresholds back after: for a process that does nothing else
    meanwhile (`claimtracker ingest`, the benchmark), not a server's threads, which would set and
    restore them across each other. An ingest keeps matching's caches (claims' and passages'
    words: hundreds of thousands of objects), which every full collection traverses again: at
    100,000 claims, with Python's thresholds, the collector ran 1,376 young and 7 full collections
    over 150 generated articles, 1.1 s of CPU (6 % of the ingest); 0.44 s with these. Cycles wait
    a little longer to be freed; what is decided is the same."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def ingest_items(session: Session, items: list[BatchItem], actor: str, max_bytes: int,
                 progress: Callable[[BatchResult], None] | None = None,
                 matching: MatchConfig | None = None, workers: int = 1) -> list[BatchResult]:
    """Each item in its own transaction; a failed one is reported and the batch goes on. With
    `workers` > 1, reading, parsing and extraction (prepare_item) run in that many processes while
    this one links and writes, in the items' order: the same articles, claims and mentions as
    with one. The workers also score each article's sentences against the stored claims, reading
    only (see prepared_items); every write, and every decision that depends on what the batch
    wrote before, stays here, one article at a time."""
    results = []
    link = (session, matching or MatchConfig())
    for prepared in prepared_items(items, max_bytes, plan_limits(matching), workers, link):
        try:
            result = _ingest_prepared(session, prepared, actor, max_bytes, matching)
        except OperationalError as exc:
            # Another writer held the database past the wait: this item fails, the batch goes on, and
            # running the batch again adds it (stored articles are "already present").
            if not is_busy_error(exc):
                raise
            session.rollback()
            result = BatchResult(prepared.item.name, "failed", error=BUSY_MESSAGE)
        results.append(result)
        if progress:
            progress(result)
    return results


def _ingest_prepared(session: Session, prepared: Prepared, actor: str, max_bytes: int,
                     matching: MatchConfig | None, name: str | None = None) -> BatchResult:
    """A busy database (OperationalError) is the caller's: a batch reports the item, a single
    upload answers 503."""
    name = name or prepared.item.name
    if prepared.error:
        return BatchResult(name, "failed", error=prepared.error)
    try:
        result = ingest_and_commit(session, prepared.article, actor, max_bytes, matching, plan=prepared.plan)
    except DomainError as exc:
        session.rollback()
        return BatchResult(name, "failed", error=getattr(exc, "message", None) or str(exc))
    return BatchResult(name, "added" if result.created else "present", result.article_id,
                       quotes=result.quotes, new_claims=result.new_claims, mentions=result.mentions,
                       suggestions=result.suggestions, notes=result.notes)


def ingest_files(session: Session, files: list[Path], defaults: dict[str, str | None],
                 sources: dict[str, dict[str, str]], actor: str, max_bytes: int,
                 progress: Callable[[BatchResult], None] | None = None,
                 matching: MatchConfig | None = None) -> list[BatchResult]:
    return ingest_items(session, batch_items(files, defaults, sources), actor, max_bytes, progress, matching)
