"""The admin's page of accounts: add a user, change a role, disable or enable. The same domain functions
as `claimtracker user ...`; each change is an event under the admin's name. Plain forms answering 303
back to the list, so the page works without JavaScript."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.deps import ActorDep, SessionDep
from app.domain import users
from app.domain.errors import DomainError, InvalidInput
from app.storage.models import ROLES
from app.web.templating import render

router = APIRouter()

Field = Annotated[str, Form(max_length=1024)]


def _page(request: Request, session, *, message: str | None = None, status_code: int = 200,
          values: dict | None = None):
    context = {"users": users.list_users(session), "roles": ROLES, "message": message,
               "values": values or {}, "nav": "admin_users"}
    return render(request, "admin_users.html", context, status_code=status_code)


@router.get("/admin/users", name="admin_users")
def admin_users(request: Request, session: SessionDep):
    return _page(request, session)


@router.post("/admin/users", name="admin_user_add")
def admin_user_add(request: Request, session: SessionDep, actor: ActorDep, name: Field = "",
                   password: Field = "", role: Field = "viewer"):
    try:
        users.add_user(session, actor, name, password, role)
        session.commit()
    except DomainError as exc:
        session.rollback()
        return _page(request, session, message=exc.message, status_code=exc.status_code,
                     values={"name": name, "role": role})
    return RedirectResponse(request.app.url_path_for("admin_users"), status_code=303)


@router.post("/admin/users/{user_name}", name="admin_user_update")
def admin_user_update(request: Request, session: SessionDep, actor: ActorDep, user_name: str,
                      role: Field = "", disabled: Field = ""):
    """One form per row: the role select and the disabled box. An admin cannot lock themself out."""
    try:
        name = user_name
        if name == actor and (disabled or (role and role != "admin")):
            raise InvalidInput("you cannot disable yourself or give up your own admin role")
        if role:
            users.set_role(session, actor, name, role)
        users.set_disabled(session, actor, name, bool(disabled))
        session.commit()
    except DomainError as exc:
        session.rollback()
        return _page(request, session, message=exc.message, status_code=exc.status_code)
    return RedirectResponse(request.app.url_path_for("admin_users"), status_code=303)
