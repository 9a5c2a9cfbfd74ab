"""One search API for claims whatever the engine; the place to switch to FTS5 / tsvector."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from app.storage.models import Claim


def claim_text_matches(q: str) -> ColumnElement[bool]:
    """Every word of the query appears in the claim text, case-insensitively."""
    words = [w for w in q.split() if w][:10]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return and_(*(Claim.text.ilike(f"%{w}%", escape="\\") for w in escaped))
