"""A small hand-built dataset for the outlet matrix: four outlets, six claims, every mention placed by
hand so the tests can state each count. (No tests here; shared by the domain and web tests.)

    claim  speaker  tag    mentions (outlet stance day; * = suggested, not confirmed)
    c1     Ines     port   Alpha repeats 01-10, Beta repeats 01-11, Gamma contradicts 01-12
    c2     Ines            Alpha repeats 02-01, Beta contradicts 02-02
    c3     Omar     port   Beta repeats 03-01, Gamma repeats 03-02, *Alpha repeats 02-28, Delta discusses 03-03
    c4     Omar            Alpha repeats 04-01, Alpha contradicts 04-05, Gamma repeats 04-02
    c5     (merged into c1)  Alpha repeats 01-05, Beta repeats 01-05
    c7                     Alpha repeats 06-01, Gamma repeats 06-01 (same day, no time: a tie)
    c9                     Delta discusses 07-01 (no other outlet: first by default)

Both repeat: Alpha-Beta 1 (c1), Alpha-Gamma 2 (c4, c7), Beta-Gamma 1 (c3); diagonal: Alpha 4,
Beta 2, Gamma 3. One repeats, the other contradicts: Alpha-Beta 1 (c2), Alpha-Gamma 2 (c1, c4),
Beta-Gamma 1 (c1); diagonal: Alpha 1 (c4). Claims per outlet: Alpha 4, Gamma 4, Beta 3.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain.linking import refresh_outlet_counts, stable_hash
from app.domain.people import get_or_create_outlet, get_or_create_speaker
from app.domain.review import add_tag
from app.storage.models import Article, Claim, Mention

SPEAKERS = {"c1": "Ines Varga", "c2": "Ines Varga", "c3": "Omar Haddad", "c4": "Omar Haddad"}
TAGS = {"c1": "port", "c3": "port"}
TEXTS = {
    "c1": "The ferry terminal will move to the east quay next spring",
    "c2": "Dock workers will get a second rest day every fortnight",
    "c3": "Cranes at the container yard are older than thirty years",
    "c4": "The harbour dredging budget was cut by a fifth",
    "c5": "The ferry terminal moves to the east quay in spring",
    "c7": "A new pilot boat will be bought before winter",
    "c9": "The lighthouse keeper's cottage may become a museum",
}
MENTIONS = [  # claim, outlet, stance, day, origin
    ("c1", "Alpha", "repeats", date(2024, 1, 10), "extracted"),
    ("c1", "Beta", "repeats", date(2024, 1, 11), "extracted"),
    ("c1", "Gamma", "contradicts", date(2024, 1, 12), "analyst"),
    ("c2", "Alpha", "repeats", date(2024, 2, 1), "extracted"),
    ("c2", "Beta", "contradicts", date(2024, 2, 2), "analyst"),
    ("c3", "Beta", "repeats", date(2024, 3, 1), "extracted"),
    ("c3", "Gamma", "repeats", date(2024, 3, 2), "extracted"),
    ("c3", "Alpha", "repeats", date(2024, 2, 28), "suggested"),
    ("c3", "Delta", "discusses", date(2024, 3, 3), "analyst"),
    ("c4", "Alpha", "repeats", date(2024, 4, 1), "extracted"),
    ("c4", "Alpha", "contradicts", date(2024, 4, 5), "analyst"),
    ("c4", "Gamma", "repeats", date(2024, 4, 2), "extracted"),
    ("c5", "Alpha", "repeats", date(2024, 1, 5), "extracted"),
    ("c5", "Beta", "repeats", date(2024, 1, 5), "extracted"),
    ("c7", "Alpha", "repeats", date(2024, 6, 1), "extracted"),
    ("c7", "Gamma", "repeats", date(2024, 6, 1), "extracted"),
    ("c9", "Delta", "discusses", date(2024, 7, 1), "analyst"),
]


@dataclass
class Built:
    claims: dict[str, int] = field(default_factory=dict)     # label -> claim id
    outlets: dict[str, str] = field(default_factory=dict)    # name -> slug
    mentions: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (claim, outlet, stance) -> id
    speakers: dict[str, str] = field(default_factory=dict)   # name -> slug


def build(session) -> Built:
    built = Built()
    for label, text in TEXTS.items():
        speaker = get_or_create_speaker(session, SPEAKERS[label]) if label in SPEAKERS else None
        claim = Claim(text=text, norm_hash=stable_hash(text), speaker_id=speaker.id if speaker else None)
        session.add(claim)
        session.flush()
        built.claims[label] = claim.id
        if speaker:
            built.speakers[speaker.name] = speaker.slug
    for n, (label, outlet_name, stance, day, origin) in enumerate(MENTIONS):
        outlet = get_or_create_outlet(session, outlet_name)
        built.outlets[outlet_name] = outlet.slug
        excerpt = TEXTS[label] if stance == "repeats" else f"It is untrue that {TEXTS[label].lower()}"
        body = f"Report {n} from {outlet_name}.\n\n{excerpt}.\n"
        article = Article(outlet_id=outlet.id, title=f"{outlet_name} report {n}", published=day,
                          text=body, content_hash=f"outlet-dataset-{n}")
        session.add(article)
        session.flush()
        start = body.index(excerpt)
        mention = Mention(claim_id=built.claims[label], article_id=article.id, start=start,
                          end=start + len(excerpt), excerpt=excerpt, stance=stance, origin=origin)
        session.add(mention)
        session.flush()
        built.mentions[(label, outlet_name, stance)] = mention.id
    session.get(Claim, built.claims["c5"]).merged_into_id = built.claims["c1"]
    for label, tag in TAGS.items():
        add_tag(session, built.claims[label], tag, "tester")
    refresh_outlet_counts(session, built.claims.values())   # as every writer does once mentions change
    session.commit()
    return built


def build_many(session, outlets: int = 300, claims: int = 4) -> list[str]:
    """Many outlets on a few claims: outlet i repeats claim k when i < outlets // (k + 1), so the
    first quarter carries every claim and the last half only the first. Returns the outlet names."""
    names = [f"Outlet {i:03d}" for i in range(outlets)]
    ids = []
    for k in range(claims):
        text = f"Claim number {k} about the harbour, said by nobody in particular"
        claim = Claim(text=text, norm_hash=stable_hash(text))
        session.add(claim)
        session.flush()
        ids.append(claim.id)
    for i, name in enumerate(names):
        outlet = get_or_create_outlet(session, name)
        for k, claim_id in enumerate(ids):
            if i >= outlets // (k + 1):
                continue
            body = f"{name} carries claim {k}."
            article = Article(outlet_id=outlet.id, title=body, published=date(2024, 1, 1 + k), text=body,
                              content_hash=f"many-{i}-{k}")
            session.add(article)
            session.flush()
            session.add(Mention(claim_id=claim_id, article_id=article.id, start=0, end=len(body), excerpt=body,
                                stance="repeats", origin="extracted"))
    refresh_outlet_counts(session, ids)
    session.commit()
    return names


def build_random(session, seed: int, claims: int = 40, outlets: int = 5) -> dict[str, int]:
    """Claims carried at random by a few outlets, with every stance and origin, some claims merged
    away, tags and speakers on some, over a few months: for comparing the kept matrix and cells
    with the counted ones. Returns the claim ids by label ("r0".."rN")."""
    import random

    rng = random.Random(seed)
    names = [f"Paper {chr(65 + i)}" for i in range(outlets)]
    speakers = [get_or_create_speaker(session, n) for n in ("Rosa Lind", "Karl Berg")]
    ids = {}
    for k in range(claims):
        text = f"Random claim {seed} {k} about the river crossing"
        speaker = rng.choice([None, *speakers])
        claim = Claim(text=text, norm_hash=stable_hash(text), speaker_id=speaker.id if speaker else None)
        session.add(claim)
        session.flush()
        ids[f"r{k}"] = claim.id
    n = 0
    for label, claim_id in ids.items():
        for name in rng.sample(names, rng.randint(0, outlets)):
            outlet = get_or_create_outlet(session, name)
            for _ in range(rng.randint(1, 2)):
                n += 1
                body = f"{name} item {n}."
                article = Article(outlet_id=outlet.id, title=body, text=body, content_hash=f"random-{seed}-{n}",
                                  published=rng.choice([None, date(2024, 1 + rng.randrange(6), 1 + rng.randrange(28))]))
                session.add(article)
                session.flush()
                session.add(Mention(claim_id=claim_id, article_id=article.id, start=0, end=len(body), excerpt=body,
                                    stance=rng.choice(["repeats", "repeats", "contradicts", "discusses"]),
                                    origin=rng.choice(["extracted", "extracted", "analyst", "suggested"])))
    for label in rng.sample(sorted(ids), claims // 8):
        other = ids[rng.choice(sorted(ids))]
        if other != ids[label]:
            session.get(Claim, ids[label]).merged_into_id = other
    for label in rng.sample(sorted(ids), claims // 3):
        add_tag(session, ids[label], "river", "tester")
    refresh_outlet_counts(session, ids.values())
    session.commit()
    return ids
