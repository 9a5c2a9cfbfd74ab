"""Every request's inputs checked in one place, before any route or login check touches a database:
a path segment, query parameter or form field no column can store (NUL, a lone surrogate) is a 422
naming it, on pages and API alike. Without this each route would pass such a value on to a query,
where PostgreSQL's driver refuses it with a 500 (a login with `name=x%00` did, before checking the
password) or, in a streamed download, after the 200 was sent.

Forms are read once with the app's limits (`form_limits`): Starlette's default caps a form field at
1 MiB, under the article limit once a pasted article is percent-encoded. FastAPI parses the forms of
routes that declare Form fields before any dependency runs; the routes that read their form by hand
call `read_form`, which applies the same limits and the same check. JSON bodies are checked by their
pydantic models (app/api/schemas.py, `Text`); file contents by the ingest and import validation."""
from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.params import Form
from starlette.datastructures import FormData, UploadFile

from app.domain.errors import InvalidInput
from app.domain.inputs import unstorable


def form_limits(max_body: int, max_upload: int) -> dict[str, int]:
    """A text field may be as large as a whole body: the body limit (app/web/security.py) is the cap."""
    return {"max_part_size": max(max_body, max_upload)}


def _check(where: str, key: str, value: str) -> None:
    if reason := unstorable(key):
        raise InvalidInput(f"the name of a {where} {reason}")
    if reason := unstorable(value):
        raise InvalidInput(f"{where} {key[:40]!r} {reason}")


def check_form(form: FormData) -> FormData:
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            _check("file name of field", key, value.filename or "")
        else:
            _check("form field", key, value)
    return form


async def read_form(request: Request, **limits: int) -> FormData:
    """The request's form, parsed with the app's limits (or narrower ones given here) and checked.
    The first parse is kept for the request, so the guard's CSRF check and the route share it."""
    settings = {**request.app.state.form_limits, **limits}
    return check_form(await request.form(**settings))


def _parses_form(request: Request) -> bool:
    field = getattr(request.scope.get("route"), "body_field", None)
    return field is not None and isinstance(field.field_info, Form)


async def check_inputs(request: Request) -> None:
    """App-wide dependency, run before the access guard."""
    for key, value in request.path_params.items():
        _check("path segment", key, str(value))
    for key, value in request.query_params.multi_items():
        _check("query parameter", key, value)
    if _parses_form(request):
        check_form(await request.form())  # already parsed by FastAPI: the same object


def install_input_checks(app: FastAPI) -> None:
    """The first app-wide dependency: call before install_access adds the access guard."""
    app.router.dependencies.append(Depends(check_inputs))
