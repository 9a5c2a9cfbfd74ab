"""Outlets and speakers: named things with a stable slug, found or made on ingest."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.linking import LINKED
from app.pipeline.claims import slugify
from app.pipeline.person_names import (
    PersonName,
    ends_in_title,
    is_name_suffix,
    is_place,
    parse_person,
    same_person,
    strip_honorifics,
    office_words,
    title_part,
    titles_fit,
    without_suffix,
    written_sex,
)
from app.pipeline.speakers import canonical_speaker, speaker_aliases
from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import Article, Claim, Mention, Outlet, Speaker, SpeakerAlias


def _unique_slug(session: Session, model, name: str) -> str:
    base = slugify(name, max_words=12) or "x"
    slug, n = base, 2
    while session.scalar(select(model.id).where(model.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


_BY_NAME: dict = {}     # model -> its row by name, built once


def get_or_create_named(session: Session, model, name: str):
    """The row called `name`, made if missing; safe when another process makes it at the same time."""
    stmt = _BY_NAME.get(model)
    if stmt is None:
        stmt = _BY_NAME[model] = select(model).where(model.name == bindparam("name"))
    for _ in range(3):
        row = session.scalar(stmt, {"name": name})
        if row is not None:
            return row
        values = {"name": name}
        if hasattr(model, "slug"):
            values["slug"] = _unique_slug(session, model, name)
        insert_ignoring_conflicts(session, model, **values)
    raise Conflict(f"could not create {model.__tablename__[:-1]} {name!r}; try again")


def get_or_create_outlet(session: Session, name: str) -> Outlet:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("an outlet is required")
    if len(name) > 200:
        raise InvalidInput("outlet name is longer than 200 characters")
    return get_or_create_named(session, Outlet, name)


def get_or_create_speaker(session: Session, name: str | None, sex: str | None = None) -> Speaker | None:
    """One speaker per person across articles: "spokesperson Tan Kefei", "Tan Kefei" and, in a
    later article, a lone "Tan" are one row, found through speaker_aliases; "Chief Justice John G.
    Roberts Jr." and "John Roberts" are one row too, found through the key of person_names.

    The rule for a lone surname: it maps to a speaker only while exactly one live speaker has that
    word as the first or last word of their name. When a second one appears ("Li Shangfu", then
    "Li Qiang"), the surname alias is deleted and not given to the newcomer, and a lookup checks
    the rule again (two ingests may add both names at the same moment), so "Li" is never merged
    silently into one of them: it becomes a speaker of its own, named as written, which an analyst
    can merge into the right person (domain/speakers.py). The other way round, a lone-surname
    speaker seen first ("Mauger") takes the full name when it arrives ("John Mauger"), under the
    same rule. A merged-away speaker's name leads to its survivor.

    `sex` ("f", "m"), what the article told of the person (pipeline/name_runs.speaker_sex), or the
    honorific written with the name, is kept on the speaker, and a lone surname of the other sex
    never joins it ("Mr. Obama" and a "Michelle Obama" an article called "she" or "Mrs. Obama"),
    nor a speaker known only by that surname ("Mr. Obama" and an "Obama" written "Mrs."): the
    second is a speaker of its own, stored with the title of its sex ("Mr. Obama")."""
    sex = sex or written_sex(name)
    speaker = find_speaker(session, name, sex, noting=False)
    name = _speaker_key(name)
    if speaker is not None:
        _note_sex(speaker, name, sex)
        return speaker
    if not name:
        return None
    memo = session.info.get(SPEAKER_MEMO)
    if memo is not None:
        memo.clear()                   # what follows may write a speaker, an alias or a new name
    canonical = strip_honorifics(canonical_speaker(name) or name)[:200]
    person = parse_person(canonical)
    if person is not None:
        found = _same_person(session, person) or _adopt_lone_surname(session, canonical, name, sex)
        if found is not None:
            _record_aliases(session, found, name, canonical, person)
            found = live_speaker(session, found)
            _note_sex(found, name, sex)
            return found
    if person is None and not _fits_lone_row(session, canonical, name, sex):
        canonical = _titled(canonical, sex or written_sex(name))
    speaker = live_speaker(session, get_or_create_named(session, Speaker, canonical))
    _record_aliases(session, speaker, name, canonical, person)
    _note_sex(speaker, name, sex)
    return speaker


def _fits_lone_row(session: Session, canonical: str, written: str, sex: str | None) -> bool:
    """The speaker stored under this lone word ("Obama", from a "Mrs. Obama") may be the person
    written here: there is none, or nothing known of it says otherwise."""
    row = session.scalar(select(Speaker).where(Speaker.name == canonical))
    return row is None or _fits(session, row, written, sex)


def _titled(name: str, sex: str | None) -> str:
    """The name a second person known by one lone word is stored under, told apart by the title
    of their sex ("Mr. Obama" beside an "Obama" told "Mrs."), as articles tell them apart."""
    return f"{_SEX_TITLE[sex]} {name}"[:200] if sex in _SEX_TITLE else name


_SEX_TITLE = {"m": "Mr.", "f": "Ms."}


def _note_sex(speaker: Speaker, name: str, sex: str | None) -> None:
    """Keep what an article told of the speaker's sex, when nothing did before and the article
    named them in full or as the lone word they are stored under (a lone surname that joined a
    full name may be a namesake: it tells nothing of the person stored)."""
    if sex and speaker.sex is None and _names_whole(speaker, name):
        speaker.sex = sex


def _names_whole(speaker: Speaker, name: str) -> bool:
    core = strip_honorifics(canonical_speaker(name) or name)
    return " " in core.strip() or core.lower() == strip_honorifics(speaker.name).lower()


def _sex_fits(speaker: Speaker, sex: str | None) -> bool:
    return sex is None or speaker.sex is None or speaker.sex == sex


def find_speaker(session: Session, name: str | None, sex: str | None = None, *,
                 noting: bool = True) -> Speaker | None:
    """The speaker get_or_create_speaker gives for `name` when it is known by one of its aliases
    (found by reading only, remembered in SPEAKER_MEMO while set); None when that lookup would
    have to write (a new person, a new alias, a lone surname to adopt, a sex to note: unless
    `noting` is False, as get_or_create_speaker asks) or for no name."""
    name = _speaker_key(name)
    if not name:
        return None
    memo = session.info.get(SPEAKER_MEMO)
    if memo is not None and name in memo:
        return memo[name]
    sex = sex or written_sex(name)
    canonical = strip_honorifics(canonical_speaker(name) or name)[:200]
    found = _speaker_by_alias(session, {canonical.lower(), name.lower()}, name, sex)
    if found is None:
        return None
    speaker = live_speaker(session, found)
    if noting and sex and speaker.sex is None and _names_whole(speaker, name):
        return None   # the sex is news: get_or_create_speaker writes it
    if memo is not None:
        memo[name] = speaker       # found by reading only: the same until a speaker is written
    return speaker


#: session.info key: while set (to a dict, by an article's linking), a name found by reading alone
#: is answered from it. An article names its speakers again and again, and each lookup was a query
#: with a flush before it; any call that may write empties it, so the answers stay what a fresh
#: lookup would give.
SPEAKER_MEMO = "speaker_memo"


def _speaker_key(name: str | None) -> str:
    return " ".join((name or "").split())[:200]


def speaker_remembered(session: Session, name: str | None) -> bool:
    """get_or_create_speaker(session, name) answers from SPEAKER_MEMO, touching no database (no
    name, or a name found by reading since the last speaker was written)."""
    key = _speaker_key(name)
    return not key or key in session.info.get(SPEAKER_MEMO, {})


def live_speaker(session: Session, speaker: Speaker) -> Speaker:
    """The speaker itself, or the one it was merged into (merges keep chains one step long, the
    loop is a guard)."""
    seen = set()
    while speaker.merged_into_id is not None and speaker.id not in seen:
        seen.add(speaker.id)
        speaker = session.get(Speaker, speaker.merged_into_id)
    return speaker


def _speaker_by_alias(session: Session, keys: set[str], written: str, sex: str | None = None) -> Speaker | None:
    rows = session.execute(_BY_ALIAS, {"keys": list(keys)}).all()   # in the order given, as before
    for alias, speaker in sorted(rows, key=lambda r: r[0] != r[1].name.lower()):
        if " " in alias:
            return speaker   # a full name, or the very form written ("mr. obama")
        if not _partial(alias, speaker.name):
            if _fits(session, speaker, written, sex):
                return speaker   # known by that word alone: "Mr. Obama" is no "Obama" told "Mrs."
            continue
        if not _word_shared(session, alias, speaker.id) and _fits(session, speaker, written, sex):
            return speaker   # (a lone "Obama" told "he" is not a "Michelle Obama" told "she")
    return None


_BY_ALIAS = (select(SpeakerAlias.alias, Speaker).join(Speaker, Speaker.id == SpeakerAlias.speaker_id)
             .where(SpeakerAlias.alias.in_(bindparam("keys", expanding=True))))


def _fits(session: Session, speaker: Speaker, written: str, sex: str | None) -> bool:
    """Nothing known of the speaker (the titles it was written with, what articles told of its
    sex) says it is not the person `written` (told `sex`)."""
    return _title_fits(session, speaker, written) and _sex_fits(live_speaker(session, speaker), sex)


def _title_fits(session: Session, speaker: Speaker, written: str) -> bool:
    """A lone surname written with a title ("Mrs. Obama") is not a speaker written with one that
    conflicts ("Mr. Obama", "Barack Obama" once called "Mr."); with nothing to tell by, it is."""
    if not title_part(written):
        return True
    forms = session.scalars(select(SpeakerAlias.alias).where(
        SpeakerAlias.speaker_id == speaker.id, SpeakerAlias.alias.contains(" ")))
    return all(titles_fit(written, form) is not False for form in forms)


def _same_person(session: Session, person: PersonName) -> Speaker | None:
    """The speaker holding this person's key ("john roberts"), unless a name it was given
    conflicts: another middle initial or suffix ("John Q. Roberts" is not "John G. Roberts Jr.")."""
    owner_id = session.scalar(select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias == person.key))
    if owner_id is None:
        return None
    owner = live_speaker(session, session.get(Speaker, owner_id))
    written = session.scalars(select(SpeakerAlias.alias).where(
        SpeakerAlias.speaker_id == owner.id, SpeakerAlias.alias.contains(" ")))
    names = [parse_person(owner.name)] + [parse_person(a, cased=False) for a in written]
    same_key = [p for p in names if p is not None and p.key == person.key]
    return owner if all(same_person(person, p) for p in same_key) else None


def _adopt_lone_surname(session: Session, canonical: str, written: str, sex: str | None = None) -> Speaker | None:
    """A speaker known only by the surname ("Mauger", from an article that never gave the full
    name) is this person, when no other live speaker bears that word and no title it was written
    with needs another ("President Obama" does not become "Michelle Obama"): it takes the full
    name (its slug, a permalink, stays)."""
    core = without_suffix(canonical)
    if ends_in_title(core) or session.scalar(select(Speaker.id).where(Speaker.name == canonical)) is not None:
        return None
    surname = core.split()[-1].lower()  # the surname only: a lone "Mitchell" is seldom a first name
    if is_place(surname):
        return None
    lone = session.scalar(select(Speaker).join(SpeakerAlias, SpeakerAlias.speaker_id == Speaker.id)
                          .where(SpeakerAlias.alias == surname, Speaker.merged_into_id.is_(None)))
    if (lone is None or lone.name.lower() != surname or _word_shared(session, surname, lone.id)
            or not _sex_fits(lone, sex)):
        return None   # (nor does a lone "Obama" told "he" take "Michelle Obama" told "she")
    forms = session.scalars(select(SpeakerAlias.alias).where(
        SpeakerAlias.speaker_id == lone.id, SpeakerAlias.alias.contains(" ")))
    if not all(_fits_lone(form, written) for form in forms):
        return None
    lone.name = canonical
    session.flush()
    return lone


def _fits_lone(form: str, written: str) -> bool:
    """A lone surname once written as `form` may take the full name `written`: no title of the
    two conflicts ("Mr." and "Mrs."), and an office it was written with ("President Obama",
    "Gov. Kessler") the full name is written with too (not "Michelle Obama")."""
    fit = titles_fit(form, written)
    if fit is not None:
        return fit
    return not office_words(form)


def _partial(alias: str, speaker_name: str) -> bool:
    """A lone word standing for a longer name: the kind of alias that can be ambiguous."""
    return " " not in alias and alias != speaker_name.lower()


def _word_shared(session: Session, word: str, speaker_id: int) -> bool:
    """Does another live speaker's name start or end with this word? (Two indexed columns; the
    word is one lower-cased word, as the aliases are.)"""
    other = session.scalar(select(Speaker.id).where(
        Speaker.id != speaker_id, Speaker.merged_into_id.is_(None),
        or_(Speaker.first_word == word, Speaker.last_word == word)).limit(1))
    return other is not None


def _record_aliases(session: Session, speaker: Speaker, written: str, canonical: str,
                    person: PersonName | None) -> None:
    """Insert-or-ignore every alias; a surname another speaker also bears is dropped for both.
    The person key goes to the first speaker to hold it; a conflicting namesake does not take it."""
    aliases = (speaker_aliases(written) | speaker_aliases(without_suffix(canonical))
               | {speaker.name.lower()} | ({person.key} if person else set()))
    for alias in sorted(a for a in aliases if not is_name_suffix(a)):  # never a lone "jr"
        alias = alias[:200]
        if _partial(alias, speaker.name):
            owner = session.scalar(select(SpeakerAlias).where(SpeakerAlias.alias == alias))
            if owner is not None and owner.speaker_id != speaker.id:
                owner_name = session.scalar(select(Speaker.name).where(Speaker.id == owner.speaker_id))
                if owner_name is not None and _partial(alias, owner_name):
                    session.execute(delete(SpeakerAlias).where(SpeakerAlias.id == owner.id))
                continue
            if _word_shared(session, alias, speaker.id):
                continue
        insert_ignoring_conflicts(session, SpeakerAlias, alias=alias, speaker_id=speaker.id)


def outlet_by_slug(session: Session, slug: str) -> Outlet:
    outlet = session.scalar(select(Outlet).where(Outlet.slug == slug))
    if outlet is None:
        raise NotFound(f"no outlet {slug!r}")
    return outlet


def speaker_by_slug(session: Session, slug: str) -> Speaker:
    """The row for this slug, merged or not (domain/speakers.resolve_speaker follows a merge)."""
    speaker = session.scalar(select(Speaker).where(Speaker.slug == slug))
    if speaker is None:
        raise NotFound(f"no speaker {slug!r}")
    return speaker


def list_outlets(session: Session) -> list[dict]:
    """Outlets with their article and claim counts, in one grouped query each."""
    articles = dict(session.execute(
        select(Article.outlet_id, func.count(Article.id)).group_by(Article.outlet_id)).all())
    claims = dict(session.execute(
        select(Article.outlet_id, func.count(func.distinct(Mention.claim_id)))
        .join(Mention, Mention.article_id == Article.id).where(LINKED).group_by(Article.outlet_id)).all())
    outlets = session.scalars(select(Outlet).order_by(Outlet.name))
    return [{"id": o.id, "name": o.name, "slug": o.slug, "articles": articles.get(o.id, 0),
             "claims": claims.get(o.id, 0)} for o in outlets]


def list_speakers(session: Session) -> list[dict]:
    counts = dict(session.execute(
        select(Claim.speaker_id, func.count(Claim.id))
        .where(Claim.merged_into_id.is_(None)).group_by(Claim.speaker_id)).all())
    speakers = session.scalars(select(Speaker).where(Speaker.merged_into_id.is_(None)).order_by(Speaker.name))
    return [{"id": s.id, "name": s.name, "slug": s.slug, "claims": counts.get(s.id, 0)}
            for s in speakers]
