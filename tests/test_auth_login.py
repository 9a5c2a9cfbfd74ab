"""Accounts end to end through the app: the CLI makes users, the login page signs them in with an
argon2-checked password, the cookie is locked down, logout ends the session, and every change is
recorded under the logged-in user's name."""
from __future__ import annotations

from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.cli import main as cli
from app.domain import users
from app.main import create_app
from app.settings import Settings
from app.storage.models import Event, User, UserSession
from app.web.access import SESSION_COOKIE
from tests.auth import PASSWORD, ensure_user, with_csrf
from tests.test_api_support import API, ingest_pair, shared_claim


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def login_form(client: TestClient, name: str, password: str, next_url: str = ""):
    page = soup(client.get("/login"))
    token = page.select_one("form.login-form input[name=csrf_token]")["value"]
    return client.post("/login", data={"name": name, "password": password, "next": next_url,
                                       "csrf_token": token})


def test_cli_adds_lists_and_disables_users(database_url):
    from app.storage.engine import make_engine, make_sessionmaker

    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "CLAIMTRACKER_ACTOR": "operator"}
    added = runner.invoke(cli, ["user", "add", "maria", "--role", "admin"], input=PASSWORD + "\n", env=env)
    assert added.exit_code == 0, added.output
    assert runner.invoke(cli, ["user", "add", "tom"], input=PASSWORD + "\n", env=env).exit_code == 0
    again = runner.invoke(cli, ["user", "add", "tom"], input=PASSWORD + "\n", env=env)
    assert again.exit_code == 1 and "exists" in again.output
    short = runner.invoke(cli, ["user", "add", "ann"], input="short\n", env=env)
    assert short.exit_code == 1 and "password" in short.output
    listed = runner.invoke(cli, ["user", "list"], env=env)
    assert listed.output.splitlines() == ["maria\tadmin", "tom\tviewer"]
    assert runner.invoke(cli, ["user", "disable", "tom"], env=env).exit_code == 0
    assert "tom\tviewer\tdisabled" in runner.invoke(cli, ["user", "list"], env=env).output
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        maria = users.user_by_name(session, "maria")
        assert maria.password_hash.startswith("$argon2id$") and PASSWORD not in maria.password_hash
        actions = session.execute(select(Event.actor, Event.action).order_by(Event.id)).all()
    engine.dispose()
    assert actions == [("operator", "user.add"), ("operator", "user.add"), ("operator", "user.disable")]


def test_cli_changes_are_recorded_under_the_operator_not_a_made_up_name(database_url):
    """Without CLAIMTRACKER_ACTOR the audit log names the OS user who ran the command (not a default
    "analyst" nobody is); --actor names someone else."""
    from app.storage.engine import make_engine, make_sessionmaker

    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "CLAIMTRACKER_ACTOR": None, "LOGNAME": "jane-ops"}
    assert runner.invoke(cli, ["user", "add", "maria", "--role", "admin"], input=PASSWORD + "\n",
                         env=env).exit_code == 0
    assert runner.invoke(cli, ["user", "role", "maria", "analyst", "--actor", "k.lee"], env=env).exit_code == 0
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        actions = session.execute(select(Event.actor, Event.action).order_by(Event.id)).all()
    engine.dispose()
    assert actions == [("jane-ops", "user.add"), ("k.lee", "user.role")]


def test_login_sets_a_locked_down_cookie_and_logout_ends_it(app, anon_client):
    ensure_user(app, "maria", "analyst")
    response = login_form(anon_client, "maria", PASSWORD, next_url="/claims?status=disputed")
    assert response.status_code == 303 and response.headers["location"] == "/claims?status=disputed"
    cookies = [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]
    session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE))
    assert "httponly" in session_cookie and "samesite=lax" in session_cookie
    assert "secure" not in session_cookie  # plain http here; see the https test
    nav = soup(anon_client.get("/claims")).select_one(".account-nav")
    assert nav.select_one("a.account-link").get_text(" ", strip=True).startswith("maria")
    token = nav.select_one("form.logout-form input[name=csrf_token]")["value"]
    out = anon_client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    with app.state.sessionmaker() as session:
        assert session.scalar(select(UserSession.id)) is None
    assert anon_client.get("/claims").status_code == 303


def test_cookie_is_secure_over_https(app):
    ensure_user(app, "maria", "analyst")
    with TestClient(app, base_url="https://claims.example", follow_redirects=False) as client:
        response = login_form(client, "maria", PASSWORD)
        assert response.status_code == 303
        cookies = [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]
        assert all("secure" in c for c in cookies) and len(cookies) == 2


def test_wrong_password_unknown_and_disabled_users_are_refused(app, anon_client):
    ensure_user(app, "maria", "analyst")
    ensure_user(app, "gone", "admin")
    with app.state.sessionmaker() as session:
        users.set_disabled(session, "operator", "gone", True)
        session.commit()
    for name, password in (("maria", "not the password"), ("nobody", PASSWORD), ("gone", PASSWORD)):
        response = login_form(anon_client, name, password)
        assert response.status_code == 401, name
        assert soup(response).select_one("#login .error") is not None
        assert SESSION_COOKIE not in response.cookies


def test_open_redirects_are_refused(app, anon_client):
    ensure_user(app, "maria", "viewer")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = login_form(anon_client, "maria", PASSWORD, next_url=target)
        assert response.headers["location"] == "/", target


def test_login_page_hints_at_the_first_admin_only_while_no_user_exists(app, anon_client):
    hint = soup(anon_client.get("/login")).select_one("#no-users")
    assert hint is not None and "claimtracker user add" in hint.get_text()
    ensure_user(app, "maria", "admin")
    assert soup(anon_client.get("/login")).select_one("#no-users") is None


def test_anonymous_pages_redirect_to_login_and_the_api_says_401(anon_client):
    response = anon_client.get("/claims?status=verified")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fclaims%3Fstatus%3Dverified"
    htmx = anon_client.get("/claims", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/login?next=%2Fclaims"
    api = anon_client.get(f"{API}/claims")
    assert api.status_code == 401 and api.json()["message"]
    assert api.headers["www-authenticate"] == "Bearer"


def test_the_actor_on_every_event_is_the_logged_in_user(app, anon_client):
    ensure_user(app, "maria", "analyst")
    assert login_form(anon_client, "maria", PASSWORD).status_code == 303
    # The CSRF cookie was renewed at login; a browser's pages carry the new one in their forms.
    with_csrf(anon_client)
    ingest_pair(anon_client)
    claim = shared_claim(anon_client)
    response = anon_client.post(f"/claims/{claim['id']}/status", data={"status": "disputed", "reason": "x"})
    assert response.status_code == 303
    with app.state.sessionmaker() as session:
        actors = set(session.scalars(select(Event.actor)))
    assert actors == {"maria"}


def test_a_disabled_user_is_logged_out_at_once(app, client):
    with app.state.sessionmaker() as session:
        users.set_disabled(session, "operator", "tester", True)
        session.commit()
    assert client.get("/claims").status_code == 303


def test_settings_actor_is_not_the_web_actor(database_url):
    """The configured actor is only the CLI's: a request is never recorded under it."""
    app = create_app(Settings(database_url=database_url, actor="nobody-logged-in"))
    with TestClient(app, follow_redirects=False) as client:
        assert client.post(f"{API}/articles", json={}).status_code in (401, 403)
    with app.state.sessionmaker() as session:
        assert session.scalar(select(User.id)) is None
        assert session.scalar(select(Event.id)) is None
    app.state.engine.dispose()
