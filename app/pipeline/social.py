"""Posts from social networks read as the statement they make, for matching.

Why: analysts paste posts ("Trump goes Full Adolf: Muslims should be forced to carry special IDs:
https://t.co/... — G. Willow Wilson (@GWillowWilson) November 19, 2015") to ask which known claim
they repeat. A link says nothing a word index can use; CamelCase tags and handles carry words
("#SixFlagsBaltimore", "@BernieSanders") and are split into them. The embed's signature (who posted
it, and when) stays: a claim is often about the poster or the day ("X posted ... in May 2017"), and
cutting it lost the right claim from the candidates of 2.5% of the CheckThat 2020 dev posts.

Text without any of these marks is returned unchanged, so news passages are unaffected.
"""
from __future__ import annotations

import re

_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
_TAG = re.compile(r"(?<![\w@#])([#@])(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def _words_of_tag(match: re.Match) -> str:
    body = match.group(2).replace("_", " ")
    return _CAMEL.sub(" ", body)


def clean_post(text: str) -> str:
    """The words of a post: links cut, tags and handles split into words."""
    if not any(mark in text for mark in ("http", "www.", "pic.twitter", "@", "#")):
        return text
    text = _URL.sub(" ", text)
    text = _TAG.sub(_words_of_tag, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# An embedded post's signature as clean_post leaves it: "— Name (Handle Words) Month D, YYYY".
_SIGNATURE = re.compile(r"[\u2014\u2013]\s*[^\u2014\u2013\n]{0,80}?\([^()\n]{1,60}\)\s*[A-Z][a-z]+\.? \d{1,2}, \d{4}")


def post_signature(text: str) -> str:
    """The last embed signature in a (cleaned) post, "" when it has none: who posted it and when.
    Matching keeps it (a claim may be about the poster or the day), and weighs what a claim shares
    only there apart from what it shares with the post's own words."""
    found = None
    for found in _SIGNATURE.finditer(text):
        pass
    return found.group(0) if found else ""
