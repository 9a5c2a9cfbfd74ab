"""Who may call which route: the ONE table of rules, and the dependency every route runs that
authenticates the caller, refuses cross-site writes and applies the rule.

A route without a rule is refused to everyone (fail closed), and tests/test_auth_routes.py walks the
app's route table so a new route without a rule fails the suite. Routes that are not FastAPI routes
(the static files, the OpenAPI docs) run no dependency; they are listed here as public so the table
still says everything."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.domain.errors import DomainError
from app.domain.users import Principal, principal_for_session, principal_for_token
from app.web.csrf import check_cross_site, install_csrf_cookie

SESSION_COOKIE = "claimtracker_session"

# Levels, weakest first. READ opens to anyone when the public_read setting is on; VIEWER always needs
# a login (work queues and account pages are not permalinks); USER is any logged-in account.
PUBLIC, READ, VIEWER, ANALYST, ADMIN = "public", "read", "viewer", "analyst", "admin"
USER = VIEWER

_READ_PAGES = ("dashboard", "claims", "outlets", "speakers", "outlet", "speaker", "article", "claim", "claim_mentions",
               "claim_sources", "claim_sources_json", "claim_sources_csv", "claim_slug",
               "claim_claimreview_json", "outlet_matrix", "outlet_matrix_cell", "claim_feed", "outlet_feed",
               "speaker_feed", "tag_feed", "status_changes_feed", "claims_csv", "claims_json", "pick")
_READ_API = ("api_articles", "api_article", "api_claims", "api_claims_similar", "api_claim",
             "api_claim_sources", "api_claim_history", "api_mention", "api_outlets", "api_outlet",
             "api_speakers", "api_speaker", "api_outlet_matrix", "api_outlet_matrix_cell")
_ANALYST_PAGES = ("ingest", "ingest_text", "ingest_files", "ingest_url", "import_claims",
                  "import_claims_upload", "set_status", "edit_text", "add_tag", "remove_tag",
                  "set_stance", "unlink_mention", "link_selection", "suggestion_accept",
                  "suggestion_reject", "suggestions_bulk_accept", "suggestions_bulk_reject",
                  "article_suggestion_accept", "article_suggestion_reject",
                  "claim_suggestion_accept", "claim_suggestion_reject")
_ANALYST_API = ("api_ingest_article", "api_fetch_article", "api_import_claims", "api_claim_status",
                "api_claim_edit", "api_claim_tag_add", "api_claim_tag_remove", "api_mention_create",
                "api_mention_stance", "api_mention_delete", "api_suggestions_accept",
                "api_suggestion_accept", "api_suggestion_reject")

RULES: dict[str, str] = {
    # Not FastAPI routes (no dependency runs): static files and the API's own documentation.
    "static": PUBLIC, "openapi": PUBLIC, "swagger_ui_html": PUBLIC, "swagger_ui_redirect": PUBLIC,
    "redoc_html": PUBLIC,
    # Accounts.
    "login": PUBLIC, "login_submit": PUBLIC, "logout": PUBLIC, "healthz": PUBLIC,
    "account": USER, "token_create": USER, "token_revoke": USER,
    "admin_users": ADMIN, "admin_user_add": ADMIN, "admin_user_update": ADMIN,
    # Reading.
    **dict.fromkeys(_READ_PAGES + _READ_API, READ),
    "suggestions": VIEWER, "claim_choices": VIEWER, "api_suggestions": VIEWER,
    "claim_suggested": VIEWER,   # the claim page's next batch of suggestions: whoever sees the queue
    # Changing: ingest, link, tag, set status, decide suggestions.
    **dict.fromkeys(_ANALYST_PAGES + _ANALYST_API, ANALYST),
    # Merging. Two speakers are merged by an analyst (the task of telling people apart that the
    # matcher leaves to them); a claim merge stays with admins.
    "merge_claim": ADMIN, "api_claim_merge": ADMIN, "merge_claim_preview": ADMIN,
    "merge_speaker": ANALYST, "api_speaker_merge": ANALYST, "merge_speaker_preview": ANALYST,
    "delete_article": ADMIN, "api_article_delete": ADMIN,
    # The audit log (whole history of every change and who made it).
    "audit": ADMIN, "audit_csv": ADMIN,
}

_ROLE_OF_LEVEL = {VIEWER: "viewer", ANALYST: "analyst", ADMIN: "admin"}


class Forbidden(DomainError):
    status_code = 403


class LoginRequired(Exception):
    """Anonymous caller on a route that needs a login: a login redirect for pages, 401 for the API."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def rule_for(name: str | None) -> str | None:
    return RULES.get(name or "")


def allows(level: str | None, principal: Principal | None, public_read: bool) -> bool:
    if level is None:
        return False
    if level == PUBLIC or (level == READ and public_read):
        return True
    if principal is None:
        return False
    return principal.has_role(_ROLE_OF_LEVEL.get(level, "viewer"))


def bearer_token(request: Request) -> str | None:
    """Only /api/v1 takes Bearer tokens; a page is always a cookie session."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if is_api(request) and scheme.lower() == "bearer":
        return value.strip()
    return None


def _authenticate(request: Request, bearer: str | None) -> Principal | None:
    with request.app.state.sessionmaker() as session:
        if bearer is not None:
            principal = principal_for_token(session, bearer)
            if principal is None:
                raise LoginRequired("the API token is unknown or revoked")
            return principal
        cookie = request.cookies.get(SESSION_COOKIE)
        return principal_for_session(session, cookie) if cookie else None


async def guard(request: Request) -> None:
    """Every FastAPI route depends on this (installed app-wide): authenticate, refuse cross-site writes,
    apply the route's rule. The principal is left on request.state for get_actor and the templates."""
    route = request.scope.get("route")
    level = rule_for(getattr(route, "name", None))
    bearer = bearer_token(request)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        await check_cross_site(request, token_auth=bearer is not None)
    principal = await run_in_threadpool(_authenticate, request, bearer)
    request.state.principal = principal
    if level is None:
        raise Forbidden("this route has no access rule")
    if not allows(level, principal, request.app.state.settings.public_read):
        if principal is None:
            raise LoginRequired("log in first")
        raise Forbidden(f"your role ({principal.role}) may not do this; it needs {level}")


def current_principal(request: Request) -> Principal | None:
    return getattr(request.state, "principal", None)


def sees_suggestions(request: Request) -> bool:
    """Whoever may open the suggestions queue may see a suggestion anywhere else (claim and article
    pages, the API); an anonymous reader of a public-read site sees linked mentions only."""
    return allows(RULES["suggestions"], current_principal(request), request.app.state.settings.public_read)


def _login_required(request: Request, exc: LoginRequired) -> Response:
    if is_api(request):
        return JSONResponse({"message": str(exc) or "log in first"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    from app.web.templating import url_with

    target = url_with(request, "login", {"next": _next_target(request)})
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _next_target(request: Request) -> str:
    """Where to land after logging in: this page for a GET, else the dashboard."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return request.app.url_path_for("dashboard")


def install_access(app: FastAPI) -> None:
    """Wire accounts into the app: the guard on every route, the login pages, the CSRF cookie."""
    from fastapi import Depends

    from app.web import admin_users, auth

    app.router.dependencies.append(Depends(guard))
    app.add_exception_handler(LoginRequired, _login_required)
    app.include_router(auth.router, include_in_schema=False)
    app.include_router(admin_users.router, include_in_schema=False)
    install_csrf_cookie(app)
