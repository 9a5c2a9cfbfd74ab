"""url_path fills a route's path from parts cut once (app/web/templating.py): it must give what
Starlette's own url_path_for gives, for every named route of the app."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.convertors import IntegerConvertor

from app.web.templating import _path_format, _routes_by_name, url_path


def test_every_route_path_is_the_one_starlette_builds(app):
    request = SimpleNamespace(app=app)
    fast = 0
    for name in _routes_by_name(app):
        fmt = _path_format(app, name)
        if fmt is None:
            continue
        fast += 1
        for value in (7, 918273645):
            params = {k: value if isinstance(c, IntegerConvertor) else f"w-{value}" for k, c in fmt[2].items()}
            assert url_path(request, name, **params) == str(app.url_path_for(name, **params)), name
    assert fast > 50
    assert url_path(request, "claim", claim_id=12) == "/claims/12"
    assert url_path(request, "article", article_id=3) + "#m4" == "/articles/3#m4"


def test_wrong_parameters_still_fail_as_before(app):
    from starlette.routing import NoMatchFound

    with pytest.raises(NoMatchFound):
        url_path(SimpleNamespace(app=app), "claim", article_id=1)
