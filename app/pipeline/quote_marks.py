"""Where quotation marks pair up: the spans of text inside them, paragraph by paragraph.

Why apart from quotes.py: pairing marks is typography (curly, straight, guillemets, German „ “,
nesting, a quote left open across paragraphs, '' for " in some archives), while quotes.py decides
who said what. Everything is one left-to-right pass per paragraph with a small stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline import constants as C

_CLOSERS: dict[str, str] = {}
for _o, _c in C.QUOTE_PAIRS:
    _CLOSERS[_o] = _CLOSERS.get(_o, "") + _c
_S_OPEN, _S_CLOSE = C.SINGLE_QUOTE_PAIR
_CLOSERS[_S_OPEN] = _S_CLOSE
_STRAIGHT = "'"
_CLOSERS[_STRAIGHT] = _STRAIGHT
SINGLES = frozenset((_S_OPEN, _S_CLOSE, _STRAIGHT))
_MIXED_CLOSERS = {**_CLOSERS, "\u201c": _CLOSERS["\u201c"] + '"', '"': _CLOSERS['"'] + "\u201d"}
_DOUBLE_RE = re.compile("[" + re.escape("".join({m for pair in C.QUOTE_PAIRS for m in pair})) + "]")
_ALL_MARKS = "".join(sorted(set(_CLOSERS) | set("".join(_CLOSERS.values()))))
MARK_RE = re.compile("[" + re.escape(_ALL_MARKS) + "]")
_DOUBLE_OPENERS = frozenset(o for o in _CLOSERS if o not in ('"', _S_OPEN, _STRAIGHT))
_CONTINUE_OPENERS = {'"': frozenset('"'), _S_OPEN: frozenset(_S_OPEN), _STRAIGHT: frozenset(_STRAIGHT)}
_MAX_DEPTH = 4


@dataclass(slots=True)
class Span:
    open: int  # index of the opening mark
    limit: int  # index of the closing mark, or paragraph end for a continued quote
    start: int
    end: int
    closed: bool
    para: int  # index of the paragraph


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Lines are paragraphs: news text from extractors puts one paragraph per line."""
    paras, pos = [], 0
    for line in text.split("\n"):
        paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    return paras


def _is_apostrophe(text: str, i: int, ps: int, pe: int, ch: str) -> bool:
    """‘ after a letter or ’ before one is part of a word ("’90s", "country’s"), not a mark."""
    if ch == _S_OPEN:
        return i > ps and text[i - 1].isalnum()
    return ch == _S_CLOSE and i + 1 < pe and text[i + 1].isalnum()


def _straight_role(text: str, i: int, ps: int, pe: int) -> str | None:
    """A straight ' opens a quote at a word's start ("'We will"), closes one after its last word
    or punctuation ("do,' the"), and is an apostrophe elsewhere: "don't", "'90s", "rock 'n'
    roll", and the plural possessive "the senators' votes" (an s, then a lowercase word)."""
    before = text[i - 1] if i > ps else " "
    after = text[i + 1] if i + 1 < pe else " "
    if (before.isspace() or before in "([{\u2014\u2013-/") and after.isalpha():
        return "open"
    if not before.isspace() and not after.isalnum():
        if before == "s" and text[i + 1:i + 3].startswith(" ") and text[i + 2:i + 3].islower():
            return None
        return "close"
    return None


def _closing_depth(stack: list[tuple[int, str]], ch: str, closers: dict[str, str]) -> int | None:
    """Depth of the innermost open mark that ch closes; marks opened inside it are abandoned."""
    for d in range(len(stack) - 1, -1, -1):
        if ch in closers[stack[d][1]]:
            return d
    return None


def _scan_paragraph(text: str, ps: int, pe: int, single: bool):
    """Pair marks left to right with a small stack, so nesting works (“... ‘...’ ...”,
    « ... “...” ... », „...“, and even “... “...” ...” when the paragraph balances that way).
    Returns outermost pairs, inner pairs and the outermost mark left open. When the paragraph
    does not balance, an opener seen again while still open restarts there instead (a missing
    closer loses one quote, not the rest of the paragraph); a stray closer is ignored.
    Top-level ‘ ’ and ' count when `single`, or in a paragraph without any double mark (a
    writer who quotes with single marks); extract_quotes keeps those only when attributed."""
    if not single:
        single = _DOUBLE_RE.search(text, ps, pe) is None
    mixed_up = '"' in text[ps:pe] and ("\u201c" in text[ps:pe] or "\u201d" in text[ps:pe])
    if mixed_up:
        # Curly and straight marks mixed up by the writer ('“It is over," said Hale. "We
        # lost.”'): a straight mark closes when it follows a word or punctuation and opens
        # after a space, and then it may close a curly mark and the reverse. Read so first,
        # when that balances the paragraph: read as nesting, the attribution between the
        # halves would become a quotation inside one long quote.
        by_role = _pair_marks(text, ps, pe, single, restart=False, closers=_MIXED_CLOSERS,
                              roles=True)
        if by_role[2] is None:
            return by_role
    found = _pair_marks(text, ps, pe, single, restart=False)
    if found[2] is None:
        return found
    if mixed_up:
        # Failing that, any pairing that balances the paragraph.
        mixed = _pair_marks(text, ps, pe, single, restart=False, closers=_MIXED_CLOSERS)
        if mixed[2] is None:
            return mixed
    return _pair_marks(text, ps, pe, single, restart=True)


_OPENING_CONTEXT = frozenset("([{\u2014\u2013-/\u201c\u2018\u201e\u00ab")


def _double_role(text: str, i: int, ps: int) -> str:
    """A straight double mark opens after a space, a paragraph start, a bracket or a dash, and
    closes after anything else (a word, a comma, a full stop)."""
    before = text[i - 1] if i > ps else " "
    return "open" if before.isspace() or before in _OPENING_CONTEXT else "close"


_LEFT_DOUBLE = "\u201c"


def _wrong_way(text: str, i: int, ps: int, pe: int) -> bool:
    """A left double mark where a closing one belongs: right after a word or a stop and before a
    space, a stop or the paragraph end (“Harbour Watch“ that ...). Read so only while a left
    mark is open; left as an opener, it would open a quote running to the paragraph's end."""
    before = text[i - 1] if i > ps else " "
    after = text[i + 1] if i + 1 < pe else " "
    return not before.isspace() and before not in _OPENING_CONTEXT and not after.isalnum()


def _pair_marks(text: str, ps: int, pe: int, single: bool, restart: bool,
                closers: dict[str, str] = _CLOSERS, roles: bool = False):
    outer: list[tuple[int, int]] = []
    inner: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for m in MARK_RE.finditer(text, ps, pe):
        i, ch = m.start(), m.group()
        role = _straight_role(text, i, ps, pe) if ch == _STRAIGHT else None
        if ch == _STRAIGHT and role is None:
            continue  # an apostrophe
        if ch in (_S_OPEN, _S_CLOSE) and _is_apostrophe(text, i, ps, pe, ch):
            continue
        double = _double_role(text, i, ps) if roles and ch == '"' else None
        depth = None if double == "open" else _closing_depth(stack, ch, closers)
        if depth is None and ch == _LEFT_DOUBLE and stack and stack[-1][1] == _LEFT_DOUBLE and \
                _wrong_way(text, i, ps, pe):
            depth = len(stack) - 1  # a website called “Harbour Watch“ that ...: “ set as a closer
        if double == "close" and depth is None:
            continue  # a stray closer
        if depth is not None:
            (outer if depth == 0 else inner).append((stack[depth][0], i))
            del stack[depth:]
            continue
        if ch not in _CLOSERS or (ch in (_S_OPEN, _STRAIGHT) and not (single or stack)):
            continue
        if ch == _STRAIGHT and role != "open":
            continue
        same = next((d for d, (_, o) in enumerate(stack) if o == ch), None) if restart else None
        if same is not None:
            del stack[same:]
        if len(stack) < _MAX_DEPTH:
            stack.append((i, ch))
        elif not restart:
            return outer, inner, stack[0]  # too deep to be nesting: pair again by restarting
    return outer, inner, (stack[0] if stack else None)


def _next_opens_with(text: str, paras: list, p: int, mark: str) -> bool:
    """A quote left open continues only if the next non-empty paragraph opens a quote."""
    openers = _CONTINUE_OPENERS.get(mark, _DOUBLE_OPENERS)
    for ps, pe in paras[p + 1:p + 4]:
        line = text[ps:pe].lstrip()
        if line:
            return line[0] in openers
    return False


def _trimmed(text: str, o: int, c: int, closed: bool, p: int) -> Span | None:
    start, end = o + 1, c
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(o, c, start, end, closed, p) if start < end else None


def find_spans(text: str, paras: list, single: bool) -> tuple[list[Span], list[Span]]:
    """Outermost quotations (continued over paragraphs when left open) and quotes nested in them."""
    spans, nested = [], []
    for p, (ps, pe) in enumerate(paras):
        outer, inner, dangling = _scan_paragraph(text, ps, pe, single)
        found = [(o, c, True) for o, c in outer]
        if dangling and _next_opens_with(text, paras, p, dangling[1]):
            found.append((dangling[0], pe, False))
        spans += filter(None, (_trimmed(text, o, c, closed, p) for o, c, closed in found))
        nested += filter(None, (_trimmed(text, o, c, True, p) for o, c in inner))
    return spans, nested


# Two apostrophes stand for a double quotation mark in some archives: ''We won,'' he said.
# A third belongs to a single-quoted passage inside: ,''' he recalled.
_DOUBLED = re.compile(r"'''?")


def doubled_as_marks(text: str) -> str:
    """The text with '' read as a double mark, the same length, so offsets still fit the original."""
    def mark(m: re.Match) -> str:
        if len(m.group()) == 2:
            return '" '
        opening = m.end() < len(text) and text[m.end()].isalnum()
        return "\" '" if opening else "'\" "
    return _DOUBLED.sub(mark, text) if "''" in text else text
