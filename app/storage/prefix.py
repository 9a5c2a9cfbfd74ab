"""`starts_with(column, prefix)`: a text prefix test that SQLite answers from the column's index.

SQLite's LIKE is case-insensitive, so against an ordinary (binary) index it scans every row; a
range (>= prefix, < prefix followed by the highest code point) is the same test on a lower-cased
column and walks the index. PostgreSQL gets LIKE 'prefix%' (case-sensitive, wildcards escaped)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

_TOP = chr(0x10FFFF)


def _like_pattern(prefix: str) -> str:
    """`prefix%` with LIKE's wildcards and the escape character escaped (ESCAPE '/')."""
    return "".join(f"/{c}" if c in "/%_" else c for c in prefix) + "%"


class _StartsWith(ColumnElement[bool]):
    """The prefix travels as bound values (the range's two ends, or the LIKE pattern), so a
    statement holding this test is compiled once and then taken from SQLAlchemy's cache; without
    traversal internals the whole statement had no cache key and was compiled on every search."""

    type = Boolean()
    _is_implicitly_boolean = True
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("low", InternalTraversal.dp_clauseelement),
                           ("high", InternalTraversal.dp_clauseelement),
                           ("like", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, prefix: str) -> None:
        self.column = column
        self.low = bindparam(None, prefix, type_=String)
        self.high = bindparam(None, prefix + _TOP, type_=String)
        self.like = bindparam(None, _like_pattern(prefix), type_=String)


@compiles(_StartsWith, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    col = element.column
    return compiler.process(and_(col >= element.low, col < element.high), **kw)


@compiles(_StartsWith)
def _compile_other(element, compiler, **kw):
    return compiler.process(element.column.like(element.like, escape="/"), **kw)


def starts_with(column, prefix: str) -> ColumnElement[bool]:
    return _StartsWith(column, prefix)
