"""Jinja2 set-up: a route renders the whole page, or only one named block when htmx asks for it."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import Response
from starlette.convertors import IntegerConvertor
from starlette.routing import PARAM_FORMAT_REGEX, NoMatchFound

from app.deps import release_connection
from app.vocab import FIDELITIES, STANCES, STATUSES

ROOT = Path(__file__).resolve().parents[2]
templates = Jinja2Blocks(directory=str(ROOT / "templates"))
templates.env.globals.update(STATUSES=STATUSES, STANCES=STANCES, FIDELITIES=FIDELITIES)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _routes_by_name(app) -> dict:
    """name -> the first route of that name, built once per app: Starlette's `url_path_for` tries
    every route in turn (about 0.1 ms on this app), and a big page builds thousands of URLs."""
    index = getattr(app.state, "routes_by_name", None)
    if index is None:
        index = {}
        for route in _leaf_routes(app.router.routes):
            name = getattr(route, "name", None) or getattr(getattr(route, "starlette_route", None), "name", None)
            if name:
                index.setdefault(name, route)
        app.state.routes_by_name = index
    return index


def _leaf_routes(routes):
    """The routes, with an included router (FastAPI keeps them nested) replaced by its own routes."""
    for route in routes:
        nested = getattr(route, "effective_route_contexts", None)
        if nested is not None:
            yield from nested()
        else:
            yield route


def _path_format(app, name: str):
    """(the route's path cut at its parameters, their convertors) for a plain route, built once:
    what Starlette's url_path_for redoes on every call (a regex split, a URLPath); None otherwise."""
    formats = getattr(app.state, "path_formats", None)
    if formats is None:
        formats = app.state.path_formats = {}
    if name not in formats:
        route = _routes_by_name(app).get(name)
        convertors = getattr(route, "param_convertors", None)
        path = getattr(route, "path_format", None)
        formats[name] = None
        if isinstance(path, str) and isinstance(convertors, dict):
            fmt = (PARAM_FORMAT_REGEX.split(path), frozenset(convertors), convertors)
            # Used only where it gives what the route itself gives (a mounted or odd route: not).
            probe = {k: 1 if isinstance(c, IntegerConvertor) else "x" for k, c in convertors.items()}
            try:
                if _fill(fmt, probe) == str(route.url_path_for(name, **probe)):
                    formats[name] = fmt
            except (NoMatchFound, ValueError, AssertionError):
                pass
    return formats[name]


def _fill(fmt, path_params: dict) -> str:
    parts, convertors = list(fmt[0]), fmt[2]
    for i in range(1, len(parts), 2):
        parts[i] = convertors[parts[i]].to_string(path_params[parts[i]])
    return "".join(parts)


def url_path(request: Request, name: str, **path_params) -> str:
    """`request.app.url_path_for(name, ...)` as a string, by a dict look-up instead of a scan; falls
    back to the scan when the indexed route does not take these parameters (or is not indexed).
    A page builds hundreds of these (a link per mention), so a plain route's path is filled in
    from its parts cut once (_path_format), with the same convertors."""
    fmt = _path_format(request.app, name)
    if fmt is not None and fmt[1] == path_params.keys():
        return _fill(fmt, path_params)
    route = _routes_by_name(request.app).get(name)
    if route is not None:
        try:
            return str(route.url_path_for(name, **path_params))
        except NoMatchFound:
            pass
    return str(request.app.url_path_for(name, **path_params))


def path_maker(request: Request, name: str, param: str):
    """`lambda v: url_path(request, name, **{param: v})` for a route with that one parameter, cut
    once: a page that links each of hundreds of rows fills in a string instead of building each
    URL (the value goes through the route's own convertor, as url_path does)."""
    fmt = _path_format(request.app, name)
    if fmt is None or fmt[1] != {param}:
        return lambda v: url_path(request, name, **{param: v})
    head, _, tail = fmt[0]
    to_string = fmt[2][param].to_string
    return lambda v: f"{head}{to_string(v)}{tail}"


def url_with(request: Request, name: str, query: dict | None = None, **path_params) -> str:
    """A URL built from the route name plus a query string that drops empty values."""
    url = url_path(request, name, **path_params)
    params = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def absolute_url(request: Request, name: str, **path_params) -> str:
    """A full URL for links that leave the site (canonical, og:url, the API's `url` fields): under
    the configured public_base_url when set, so a forged Host header cannot rewrite them; else from
    the request as it came in."""
    base = request.app.state.settings.public_base_url
    if base:
        return base + url_path(request, name, **path_params)
    # What request.url_for gives (the request's base URL, root path included, then the path),
    # without its scan of every route: a JSON list of 1,000 mentions built 1,000 of them.
    return str(request.base_url).rstrip("/") + url_path(request, name, **path_params)


def static_url(request: Request, path: str) -> str:
    """The URL of a file under /static with its version (`?v=`: the start of its content's SHA-256).

    Why: StaticFiles sends no Cache-Control, so a browser may keep a stylesheet or script by its own
    heuristics after an upgrade changed it (timeline marks drawn black by an old app.css, say); the
    version changes the URL whenever the content does. Read again when the file's size or mtime
    changes; a file that is not there gets no version (StaticFiles answers its 404)."""
    url = url_path(request, "static", path=path)
    directory = getattr(request.app.state, "static_dir", None)
    version = _file_version(Path(directory) / path) if directory is not None else None
    return f"{url}?v={version}" if version else url


def _file_version(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return _content_version(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _content_version(path: str, _mtime_ns: int, _size: int) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return None


templates.env.globals.update(url_with=url_with, absolute_url=absolute_url, path_maker=path_maker,
                             static_url=static_url)


def paging(base: str, page: int, per_page: int, total: int, default_per_page: int,
           covers: int = 0) -> tuple[dict, dict]:
    """Where a page of `total` items sits, with full links to the next and previous pages (`per_page`
    in them only when it is not the default), and the same links as a Link header (RFC 8288).
    `covers`: more items the pages must reach beside the counted ones (a timeline with suggestions)."""
    pages = max(1, -(-max(total, covers) // per_page))

    def link(n: int) -> str:
        return base + "?" + urlencode({"page": n, **({"per_page": per_page} if per_page != default_per_page else {})})

    out = {"page": page, "per_page": per_page, "total": total, "pages": pages,
           "next": link(page + 1) if page < pages else None, "prev": link(page - 1) if page > 1 else None}
    links = ", ".join(f'<{out[rel]}>; rel="{rel}"' for rel in ("next", "prev") if out[rel])
    return out, ({"Link": links} if links else {})


def render(request: Request, template: str, context: dict, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None) -> Response:
    """Whole page normally; only `block` when the request comes from htmx. Always Vary: HX-Request."""
    name = block if block and is_htmx(request) else None
    if status_code < 400:
        release_connection(request)
    response = templates.TemplateResponse(request, template, context, status_code=status_code,
                                          headers=headers, block_name=name)
    response.headers["Vary"] = "HX-Request"
    return response


# --- Helpers added for the pages (render/url_with above stay as they are) ---------------------------

def claim_slug(text: str) -> str:
    """The decorative part of a claim URL; derived from the current text, so it goes stale on edit."""
    from app.pipeline.claims import slugify

    return slugify(text or "", max_words=8)


def claim_url(request: Request, claim_id: int) -> str:
    """The canonical claim URL, `/claims/{id}`: ids never change, wording may."""
    return url_with(request, "claim", claim_id=claim_id)


def mention_url(request: Request, article_id: int, mention_id: int) -> str:
    """The span in its article: the page anchors each mention as `m{id}`."""
    return url_with(request, "article", article_id=article_id) + f"#m{mention_id}"


def fmt_time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def fmt_date(value) -> str:
    return value.isoformat() if value else "undated"


def tag_feed_path(request: Request, tag: str) -> str:
    """A tag's Atom feed: the tag escaped whole, a slash too (the route reads the path to its end)."""
    from urllib.parse import quote

    return url_with(request, "tag_feed", tag=quote(tag, safe=""))


templates.env.globals.update(claim_url=claim_url, claim_slug=claim_slug, mention_url=mention_url,
                             tag_feed_path=tag_feed_path)
templates.env.filters.update(fmt_time=fmt_time, fmt_date=fmt_date)


def external_href(url: str | None) -> str | None:
    """Only http(s) links from ingested metadata become hrefs: a `javascript:` url must never be clickable."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


templates.env.filters["external_href"] = external_href


def current_user(request: Request):
    """The logged-in Principal (name, role) for the nav and for hiding forms a role may not use."""
    return getattr(request.state, "principal", None)


def can(request: Request, role: str) -> bool:
    user = current_user(request)
    return user is not None and user.has_role(role)


def may(request: Request, route: str) -> bool:
    """Whether this caller passes the access rule of a route (app/web/access.py): the navigation
    offers only the pages the caller may open."""
    from app.web.access import allows, rule_for

    return allows(rule_for(route), current_user(request), request.app.state.settings.public_read)


from app.web.csrf import csrf_field, csrf_token  # noqa: E402  (csrf imports nothing from here)

def event_sentence(event) -> str:
    """An event (ORM row or plain row) as the sentence app/domain/event_text.py tells."""
    from app.domain.event_text import event_sentence as tell

    return tell(event.action, event.actor, event.before, event.after)


def event_article(event) -> int | None:
    from app.domain.event_text import event_article_id

    return event_article_id(event.before, event.after)


templates.env.filters["sentence"] = event_sentence
templates.env.filters["event_article"] = event_article
templates.env.globals.update(csrf_token=csrf_token, csrf_field=csrf_field, current_user=current_user,
                             can=can, may=may)
