"""Property-based requests generated from /openapi.json by schemathesis: whatever a client sends
that the schema allows (and much it does not), the API never answers with a 5xx."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from app.domain.articles import ArticleInput, ingest_article
from app.web.access import SESSION_COOKIE
from app.web.csrf import CSRF_COOKIE, CSRF_HEADER
from tests.auth import CSRF, session_cookie

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def api_schema(app):
    """The app's own schema, with a little data in the database so ids 1 and 2 exist."""
    with app.state.sessionmaker() as session:
        for n, outlet in enumerate(("Valley Post", "Hill Gazette")):
            ingest_article(session, ArticleInput(outlet=outlet, title=f"Gates {n}", text=(
                f"Gates {n}\n\n“The river authority will open the northern flood gates before the "
                f"spring rains arrive,” director Tomas Ferreira said on day {n}.\n")), "loader")
        session.commit()
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_api_operation_answers_5xx(api_schema, app):
    """Every operation of the schema, EXAMPLES_PER_OPERATION generated requests each, as an admin
    with a session and the CSRF token (so requests reach the handlers, not only the guards)."""
    token = session_cookie(app, "fuzzer", "admin")
    headers = {"Cookie": f"{SESSION_COOKIE}={token}; {CSRF_COOKIE}={CSRF}", CSRF_HEADER: CSRF,
               "Sec-Fetch-Site": "same-origin"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25, "the schema lost operations"
    tried = []
    for operation in operations:
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(headers=headers)
            tried.append(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, response.status_code,
                                                response.text[:300])
        call()
    print(f"schemathesis: {len(operations)} operations, {len(tried)} requests, "
          f"{sum(1 for c in tried if c < 400)} answered 2xx/3xx")
    assert len(tried) >= len(operations)
