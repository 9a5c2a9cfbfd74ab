"""The admin's users page: add a user who can then log in, change a role, disable; never lock oneself out."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.domain import users
from app.storage.models import Event
from tests.auth import PASSWORD


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def rows(client) -> dict[str, tuple[str, bool]]:
    page = soup(client.get("/admin/users"))
    return {tr["data-name"]: (tr.select_one("select[name=role] option[selected]")["value"],
                              tr.select_one("input[name=disabled]").has_attr("checked"))
            for tr in page.select("tr.user")}


def test_add_change_role_and_disable(app, client, anon_client):
    added = client.post("/admin/users", data={"name": "nadia", "password": PASSWORD, "role": "analyst"})
    assert added.status_code == 303 and added.headers["location"] == "/admin/users"
    assert rows(client)["nadia"] == ("analyst", False)
    with app.state.sessionmaker() as session:
        assert users.check_password(session, "nadia", PASSWORD) is not None
    assert client.post("/admin/users/nadia", data={"role": "viewer"}).status_code == 303
    assert client.post("/admin/users/nadia", data={"role": "viewer", "disabled": "1"}).status_code == 303
    assert rows(client)["nadia"] == ("viewer", True)
    with app.state.sessionmaker() as session:
        actions = session.execute(select(Event.actor, Event.action).order_by(Event.id)).all()
    assert actions == [("tester", "user.add"), ("tester", "user.role"), ("tester", "user.disable")]


def test_refusals_are_shown_next_to_the_form(client):
    short = client.post("/admin/users", data={"name": "nadia", "password": "short", "role": "analyst"})
    assert short.status_code == 422
    page = soup(short)
    assert "password" in page.select_one("#admin-users .error").get_text()
    assert page.select_one("form.user-add input[name=name]")["value"] == "nadia"
    assert client.post("/admin/users/nobody", data={"role": "viewer"}).status_code == 404


def test_an_admin_cannot_lock_themself_out(client):
    assert client.post("/admin/users/tester", data={"role": "admin", "disabled": "1"}).status_code == 422
    assert client.post("/admin/users/tester", data={"role": "analyst"}).status_code == 422
    assert rows(client)["tester"] == ("admin", False)
