"""`starts_with(column, prefix)`: a text prefix test that SQLite answers from the column's index.

SQLite's LIKE is case-insensitive, so against an ordinary (binary) index it scans every row; a
range (>= prefix, < prefix followed by the highest code point) is the same test on a lower-cased
column and walks the index. PostgreSQL gets LIKE 'prefix%' (case-sensitive, wildcards escaped)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import Boolean

_TOP = chr(0x10FFFF)


class _StartsWith(ColumnElement[bool]):
    type = Boolean()
    _is_implicitly_boolean = True
    inherit_cache = True

    def __init__(self, column, prefix: str) -> None:
        self.column, self.prefix = column, prefix


@compiles(_StartsWith, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    col = element.column
    return compiler.process(and_(col >= element.prefix, col < element.prefix + _TOP), **kw)


@compiles(_StartsWith)
def _compile_other(element, compiler, **kw):
    return compiler.process(element.column.startswith(element.prefix, autoescape=True), **kw)


def starts_with(column, prefix: str) -> ColumnElement[bool]:
    return _StartsWith(column, prefix)
