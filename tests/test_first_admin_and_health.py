"""A container starts on its own: `claimtracker user first-admin` makes the first admin from the
environment while there is no user (and changes nothing after), and `GET /healthz` tells a health
check whether the process reaches its database."""
from __future__ import annotations

from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main as cli
from app.domain import users
from app.main import create_app
from app.settings import Settings
from app.storage.engine import make_engine, make_sessionmaker

PASSWORD = "a long enough password"


def _names(database_url: str) -> list[tuple[str, str]]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        out = [(u.name, u.role) for u in users.list_users(session)]
    engine.dispose()
    return out


def test_first_admin_is_made_once_from_the_environment(database_url, tmp_path):
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "CLAIMTRACKER_ADMIN_NAME": "desk",
           "CLAIMTRACKER_ADMIN_PASSWORD": PASSWORD}
    made = runner.invoke(cli, ["user", "first-admin"], env=env)
    assert made.exit_code == 0 and "first admin desk added" in made.output
    assert _names(database_url) == [("desk", "admin")]
    again = runner.invoke(cli, ["user", "first-admin"], env={**env, "CLAIMTRACKER_ADMIN_NAME": "other"})
    assert again.exit_code == 0 and "users exist already" in again.output
    assert _names(database_url) == [("desk", "admin")]
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        assert users.check_password(session, "desk", PASSWORD) is not None
    engine.dispose()


def test_first_admin_reads_a_password_file_and_says_what_is_missing(database_url, tmp_path):
    runner = CliRunner()
    secret = tmp_path / "admin_password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    none = runner.invoke(cli, ["user", "first-admin"], env={"DATABASE_URL": database_url,
                                                            "CLAIMTRACKER_ADMIN_NAME": "",
                                                            "CLAIMTRACKER_ADMIN_PASSWORD": ""})
    assert none.exit_code == 0 and "no first admin made" in none.output
    assert _names(database_url) == []
    missing = runner.invoke(cli, ["user", "first-admin"], env={
        "DATABASE_URL": database_url, "CLAIMTRACKER_ADMIN_NAME": "desk", "CLAIMTRACKER_ADMIN_PASSWORD": "",
        "CLAIMTRACKER_ADMIN_PASSWORD_FILE": str(tmp_path / "nope")})
    assert missing.exit_code == 1 and "CLAIMTRACKER_ADMIN_PASSWORD_FILE" in missing.output
    short = runner.invoke(cli, ["user", "first-admin"], env={
        "DATABASE_URL": database_url, "CLAIMTRACKER_ADMIN_NAME": "desk", "CLAIMTRACKER_ADMIN_PASSWORD": "x"})
    assert short.exit_code == 1 and "password" in short.output and _names(database_url) == []
    made = runner.invoke(cli, ["user", "first-admin"], env={
        "DATABASE_URL": database_url, "CLAIMTRACKER_ADMIN_NAME": "desk", "CLAIMTRACKER_ADMIN_PASSWORD": "",
        "CLAIMTRACKER_ADMIN_PASSWORD_FILE": str(secret)})
    assert made.exit_code == 0, made.output
    assert _names(database_url) == [("desk", "admin")]


def test_healthz_is_public_and_says_whether_the_database_answers(database_url, tmp_path):
    app = create_app(Settings(database_url=database_url))
    with TestClient(app) as c:
        ok = c.get("/healthz")
        assert ok.status_code == 200 and ok.json() == {"status": "ok"}
        assert ok.headers["cache-control"] == "no-store"
    app.state.engine.dispose()
    gone = create_app(Settings(database_url="sqlite:////nonexistent-dir/none.db"))
    with TestClient(gone) as c:
        down = c.get("/healthz")
        assert down.status_code == 503 and down.json()["status"] == "unavailable"
        assert down.headers["retry-after"] == "5"
    gone.state.engine.dispose()
