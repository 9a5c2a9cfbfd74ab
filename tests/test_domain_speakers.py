"""Speakers across articles: one row per person, found again through aliases; a surname shared by
two people never merges them."""
from __future__ import annotations

from dataclasses import replace

import pytest

from sqlalchemy import func, select

from app.domain.articles import ingest_article
from app.domain.people import get_or_create_speaker
from app.storage.models import Quote, Speaker, SpeakerAlias
from tests.factories import HERALD


def aliases_of(session, speaker) -> set[str]:
    return set(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == speaker.id)))


def test_title_full_name_and_later_surname_are_one_speaker(session):
    first = get_or_create_speaker(session, "Northport Harbour Authority spokesperson Mirela Dunst")
    second = get_or_create_speaker(session, "Mirela Dunst")
    third = get_or_create_speaker(session, "Dunst")
    session.commit()
    assert first.id == second.id == third.id and first.name == "Mirela Dunst"
    assert {"mirela dunst", "dunst"} <= aliases_of(session, first)
    assert session.scalar(select(func.count()).select_from(Speaker)) == 1


def test_two_articles_then_a_surname_only_article_give_one_speaker(session):
    one = replace(HERALD, outlet="Northport Herald", text=(
        "Pier closes\n\n“The northern pier will close to all cargo traffic for three months,” "
        "Northport Harbour Authority spokesperson Mirela Dunst said.\n"))
    two = replace(HERALD, outlet="Coastal Gazette", text=(
        "Pier shuts\n\nNorthport Harbour Authority spokesperson Mirela Dunst told reporters the "
        "repairs would begin at once and last the whole summer.\n"))
    three = replace(HERALD, outlet="Bay Tribune", text=(
        "Repairs start\n\n“Our engineers start work on Monday and will not stop until it is done,” "
        "Dunst said.\n"))
    for data in (one, two, three):
        ingest_article(session, data, "tester")
    session.commit()
    names = set(session.scalars(select(Speaker.name)))
    assert names == {"Mirela Dunst"}
    quotes = session.scalars(select(Quote)).all()
    assert len(quotes) >= 3 and len({q.speaker_id for q in quotes}) == 1


def test_two_people_sharing_a_surname_do_not_merge(session):
    lena = get_or_create_speaker(session, "President Lena Varga")
    assert get_or_create_speaker(session, "Varga").id == lena.id  # one Varga known: unambiguous
    peter = get_or_create_speaker(session, "Peter Varga")
    session.commit()
    assert peter.id != lena.id
    assert session.scalar(select(SpeakerAlias).where(SpeakerAlias.alias == "varga")) is None
    lone = get_or_create_speaker(session, "Varga")
    assert lone.id not in (lena.id, peter.id) and lone.name == "Varga"
    assert get_or_create_speaker(session, "Lena Varga").id == lena.id
    assert get_or_create_speaker(session, "Peter Varga").id == peter.id


def test_a_stale_surname_alias_is_not_followed_when_another_person_shares_it(session):
    """Two ingests may each add a Varga at once; the alias left behind must not decide alone."""
    lena = get_or_create_speaker(session, "Lena Varga")
    session.add(Speaker(name="Peter Varga", slug="peter-varga"))  # made elsewhere, no aliases
    session.commit()
    assert session.scalar(select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias == "varga")) == lena.id
    assert get_or_create_speaker(session, "Varga").id != lena.id


def test_organisations_keep_one_row_under_their_spellings(session):
    a = get_or_create_speaker(session, "the Italian Defense Ministry")
    b = get_or_create_speaker(session, "Italy’s defense ministry")
    c = get_or_create_speaker(session, "Italian Defense Ministry")
    session.commit()
    assert a.id == b.id == c.id and a.name == "Italian Defense Ministry"
    assert get_or_create_speaker(session, "Ministry").id != a.id  # no lone-word alias for a body


# --- One person under ranks, initials and suffixes (app/pipeline/person_names.py) -----------------

def test_rank_full_name_and_surname_forms_are_one_speaker(session):
    forms = ["Rear Adm. Tobias Wrenfield", "Tobias Wrenfield", "Wrenfield", "Adm. Wrenfield",
             "Vice Adm. Tobias Wrenfield"]
    ids = {get_or_create_speaker(session, form).id for form in forms}
    session.commit()
    assert len(ids) == 1
    assert session.scalars(select(Speaker.name)).all() == ["Tobias Wrenfield"]


@pytest.mark.parametrize("order", [0, 1])
def test_initials_and_suffix_are_ignored_in_either_order(session, order):
    forms = ["Chief Justice Henrik P. Solberg Jr.", "Henrik Solberg"][::1 if order == 0 else -1]
    first = get_or_create_speaker(session, forms[0])
    second = get_or_create_speaker(session, forms[1])
    third = get_or_create_speaker(session, "Justice Solberg")
    session.commit()
    assert first.id == second.id == third.id
    assert session.scalar(select(func.count()).select_from(Speaker)) == 1


def test_conflicting_first_names_never_merge_and_the_bare_surname_joins_neither(session):
    henrik = get_or_create_speaker(session, "Henrik Solberg")
    hanna = get_or_create_speaker(session, "Dr. Hanna Solberg")
    session.commit()
    assert henrik.id != hanna.id and hanna.name == "Hanna Solberg"
    bare = get_or_create_speaker(session, "Justice Solberg")
    assert bare.id not in (henrik.id, hanna.id) and bare.name == "Solberg"
    assert get_or_create_speaker(session, "Mr. Henrik Solberg").id == henrik.id
    assert get_or_create_speaker(session, "Hanna Solberg").id == hanna.id


def test_conflicting_middle_initials_or_suffixes_are_two_people(session):
    father = get_or_create_speaker(session, "Ken Ardmore Sr.")
    son = get_or_create_speaker(session, "Sen. Ken Ardmore Jr.")
    elder = get_or_create_speaker(session, "Oskar H. W. Brandt")
    younger = get_or_create_speaker(session, "Gov. Oskar W. Brandt")
    session.commit()
    assert father.id != son.id and elder.id != younger.id
    # With no suffix or initial written, the name joins the one who holds it first.
    assert get_or_create_speaker(session, "Ken Ardmore").id == father.id
    assert get_or_create_speaker(session, "Oskar Brandt").id == elder.id


def test_a_speaker_known_only_by_surname_takes_the_full_name_when_it_arrives(session):
    lone = get_or_create_speaker(session, "Mr. Wrenfield")
    session.commit()
    assert lone.name == "Wrenfield" and lone.slug == "wrenfield"
    full = get_or_create_speaker(session, "Rear Adm. Tobias Wrenfield")
    session.commit()
    assert full.id == lone.id and full.name == "Tobias Wrenfield" and full.slug == "wrenfield"
    assert get_or_create_speaker(session, "Tobias Wrenfield").id == lone.id


def test_a_lone_surname_speaker_is_not_taken_when_two_people_bear_it(session):
    get_or_create_speaker(session, "Henrik Solberg")
    get_or_create_speaker(session, "Hanna Solberg")
    bare = get_or_create_speaker(session, "Solberg")
    third = get_or_create_speaker(session, "Ingrid Solberg")
    session.commit()
    assert third.id != bare.id and bare.name == "Solberg"


def test_accents_do_not_split_a_person(session):
    assert get_or_create_speaker(session, "José Ibarrola").id == get_or_create_speaker(
        session, "Mayor Jose Ibarrola").id


def test_organisations_keep_their_names_whole(session):
    ministry = get_or_create_speaker(session, "Ministry of Foreign Affairs")
    pentagon = get_or_create_speaker(session, "the Pentagon")
    session.commit()
    assert (ministry.name, pentagon.name) == ("Ministry of Foreign Affairs", "Pentagon")
    assert get_or_create_speaker(session, "Pentagon").id == pentagon.id
    assert get_or_create_speaker(session, "Affairs").id != ministry.id


def test_three_outlets_naming_one_judge_three_ways_give_one_speaker(session):
    texts = [
        "“The court will hear the appeal in the spring term of next year,” said Henrik Solberg Jr., "
        "the chief justice.\n",
        "Chief Justice Henrik Solberg said: “The appeal will be heard in the spring term.”\n",
        "“Nothing in the statute allows the agency to skip the hearing,” Justice Solberg wrote.\n"]
    for outlet, text in zip(("Northport Herald", "Coastal Gazette", "Bay Tribune"), texts):
        ingest_article(session, replace(HERALD, outlet=outlet, text=f"Ruling\n\n{text}"), "tester")
    session.commit()
    assert session.scalars(select(Speaker.name)).all() == ["Henrik Solberg Jr"]
    quotes = session.scalars(select(Quote)).all()
    assert len(quotes) == 3 and len({q.speaker_id for q in quotes}) == 1
    judge = session.get(Speaker, quotes[0].speaker_id)
    assert "solberg" in aliases_of(session, judge) and "jr" not in aliases_of(session, judge)


def test_a_country_or_a_rank_is_never_renamed_into_a_person(session):
    country = get_or_create_speaker(session, "Italy")
    judge = get_or_create_speaker(session, "Judge")
    session.commit()
    assert get_or_create_speaker(session, "Matteo Italy").id != country.id
    assert get_or_create_speaker(session, "Federal Judge").id != judge.id
    session.commit()
    assert (country.name, judge.name) == ("Italy", "Judge")


def test_a_namesake_is_checked_against_every_form_the_speaker_was_given(session):
    """The row is named "Oskar Brandt"; it later met "Oskar H. W. Brandt", so "Oskar W. Brandt",
    whose initial conflicts with that form though not with the name, is someone else."""
    plain = get_or_create_speaker(session, "Oskar Brandt")
    assert get_or_create_speaker(session, "Dr. Oskar H. W. Brandt").id == plain.id
    other = get_or_create_speaker(session, "Oskar W. Brandt")
    session.commit()
    assert other.id != plain.id and plain.name == "Oskar Brandt"


def test_name_words_follow_the_name_however_the_row_was_written(session):
    """The indexed first/last words the surname check reads: set by the Core insert of a new
    speaker, and again when a lone surname takes the full name."""
    from sqlalchemy import select

    from app.storage.models import Speaker

    lone = get_or_create_speaker(session, "Mr. Halvorsk")
    session.commit()
    assert session.execute(select(Speaker.first_word, Speaker.last_word).where(Speaker.id == lone.id)).one() \
        == ("halvorsk", "halvorsk")
    full = get_or_create_speaker(session, "Dagny Halvorsk")
    session.commit()
    session.expire_all()
    assert full.id == lone.id
    assert session.execute(select(Speaker.first_word, Speaker.last_word).where(Speaker.id == lone.id)).one() \
        == ("dagny", "halvorsk")
    # the renamed row bears the surname: a second Halvorsk keeps the bare surname from either
    other = get_or_create_speaker(session, "Rune Halvorsk")
    assert other.id != lone.id and get_or_create_speaker(session, "Halvorsk").id not in (lone.id, other.id)


def test_speaker_prefix_search_binds_each_query_and_escapes_wildcards(session):
    """speakers_prefixed is compiled once and cached: each query still finds its own speakers,
    and LIKE's wildcards in what was typed are plain characters."""
    from app.domain.speakers import speakers_prefixed

    anna = get_or_create_speaker(session, "Anna Lindqvist")
    bruno = get_or_create_speaker(session, "Bruno Okafor")
    session.commit()
    assert set(session.scalars(speakers_prefixed("anna"))) == {anna.id}
    assert set(session.scalars(speakers_prefixed("bruno o"))) == {bruno.id}
    assert set(session.scalars(speakers_prefixed("lindq"))) == {anna.id}
    assert set(session.scalars(speakers_prefixed("%"))) == set()
    assert set(session.scalars(speakers_prefixed("_runo"))) == set()


def test_a_lone_surname_with_an_office_waits_for_a_full_name_with_that_office(session):
    lone = get_or_create_speaker(session, "President Castellane")
    session.commit()
    other = get_or_create_speaker(session, "Marisol Castellane")   # no office: cannot tell
    session.commit()
    assert other.id != lone.id and lone.name == "Castellane"
    assert get_or_create_speaker(session, "President Castellane").id == lone.id


def test_mr_and_mrs_of_one_surname_never_become_one_speaker(session):
    lone = get_or_create_speaker(session, "Mr. Ostrander")
    session.commit()
    wife = get_or_create_speaker(session, "Mrs. Helga Ostrander")
    session.commit()
    assert wife.id != lone.id and lone.name == "Ostrander" and wife.name == "Helga Ostrander"


# --- What an article tells of a speaker's sex (speakers.sex, migration 0029) -----------------------

def test_mr_never_joins_a_full_name_an_article_called_she(session):
    her = replace(HERALD, outlet="Northport Herald", text=(
        "Pier closes\n\nHelga Ostrander toured the northern pier on Monday.\n“The northern pier will "
        "close to all cargo traffic for three months,” she said.\n"))
    him = replace(HERALD, outlet="Bay Tribune", text=(
        "Repairs start\n\n“Our engineers start work on Monday and will not stop until it is done,” "
        "Mr. Ostrander said.\n"))
    for data in (her, him):
        ingest_article(session, data, "tester")
    session.commit()
    helga = session.scalar(select(Speaker).where(Speaker.name == "Helga Ostrander"))
    assert helga.sex == "f"
    speakers = {q.speaker_name: q.speaker_id for q in session.scalars(select(Quote))}
    assert speakers["Ostrander"] != helga.id


def test_a_lone_surname_of_the_same_or_an_untold_sex_still_joins(session):
    helga = get_or_create_speaker(session, "Helga Ostrander", sex="f")
    session.commit()
    assert get_or_create_speaker(session, "Mrs. Ostrander").id == helga.id
    assert get_or_create_speaker(session, "Ostrander").id == helga.id
    assert get_or_create_speaker(session, "Ostrander", sex="m").id != helga.id


def test_a_sex_is_noted_from_a_full_name_not_from_a_lone_surname_that_joined_it(session):
    helga = get_or_create_speaker(session, "Helga Ostrander")
    session.commit()
    assert get_or_create_speaker(session, "Mr. Ostrander").id == helga.id   # nothing to tell by
    assert helga.sex is None
    assert get_or_create_speaker(session, "Helga Ostrander", sex="f").sex == "f"


def test_a_lone_surname_told_he_does_not_take_a_full_name_told_she(session):
    lone = get_or_create_speaker(session, "Mr. Ostrander")
    session.commit()
    assert lone.sex == "m"
    helga = get_or_create_speaker(session, "Helga Ostrander", sex="f")
    assert helga.id != lone.id and lone.name == "Ostrander"


def test_mr_never_joins_a_speaker_known_only_as_mrs_of_that_surname(session):
    """A speaker stored under a lone surname ("Mrs. Vantrell") is no "Mr. Vantrell": the man is a
    speaker of his own, named with his title, found again by it and by a "he" told of him."""
    her = get_or_create_speaker(session, "Mrs. Vantrell")
    session.commit()
    him = get_or_create_speaker(session, "Mr. Vantrell")
    session.commit()
    assert him.id != her.id and (her.sex, him.sex) == ("f", "m")
    assert get_or_create_speaker(session, "Mr. Vantrell").id == him.id
    assert get_or_create_speaker(session, "Mrs. Vantrell").id == her.id
    assert get_or_create_speaker(session, "Vantrell", sex="m").id == him.id
    assert get_or_create_speaker(session, "Vantrell", sex="f").id == her.id


def test_a_lone_surname_told_he_never_joins_a_lone_surname_speaker_told_she(session):
    her = get_or_create_speaker(session, "Vantrell", sex="f")
    session.commit()
    him = get_or_create_speaker(session, "Vantrell", sex="m")
    session.commit()
    assert him.id != her.id and her.name == "Vantrell" and him.sex == "m"


def test_mr_never_joins_a_full_name_an_article_called_mrs_by_her_surname(session):
    """The first article names her in full once and then as "Mrs. Vantrell": that title is what it
    tells of her, so a "Mr. Vantrell" in another article is somebody else."""
    her = replace(HERALD, outlet="Northport Herald", text=(
        "Terminal opens\n\nDorit Vantrell opened the ferry terminal on Monday.\n“The terminal will "
        "carry two million passengers a year,” Mrs. Vantrell said.\n"))
    him = replace(HERALD, outlet="Bay Tribune", text=(
        "Fares rise\n\n“Fares will rise by a tenth from the first of June,” Mr. Vantrell said.\n"))
    for data in (her, him):
        ingest_article(session, data, "tester")
    session.commit()
    dorit = session.scalar(select(Speaker).where(Speaker.name == "Dorit Vantrell"))
    assert dorit.sex == "f"
    speakers = {q.speaker_name: q.speaker_id for q in session.scalars(select(Quote))}
    assert speakers["Vantrell"] != dorit.id


# --- A body's spokesman, spokeswoman and spokesperson are one speaker -----------------------------

def test_a_body_spokesperson_is_one_speaker_however_written(session):
    rows = [get_or_create_speaker(session, n) for n in
            ("No. 10 spokeswoman", "No 10 spokesman", "a No. 10 spokesperson", "Harbour Board spokesman",
             "Harbour Board Spokeswoman")]
    session.commit()
    assert rows[0].id == rows[1].id == rows[2].id and rows[0].name == "No 10 spokesperson"
    assert rows[3].id == rows[4].id != rows[0].id
