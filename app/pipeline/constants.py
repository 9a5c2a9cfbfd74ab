"""Every word list and threshold of the pipeline, kept in one place.

Why one module: the extraction rules are only as good as these lists, and reviewers tuning them
for a new kind of writing should not have to hunt through regexes in three files.
All entries are lowercase; matching code lowercases the text it compares.
"""

from __future__ import annotations

# --- Quote marks ---------------------------------------------------------------------------------

#: (opening, closing) pairs of double quotation marks. Straight quotes open and close alike.
QUOTE_PAIRS: tuple[tuple[str, str], ...] = (
    ("\u201c", "\u201d"),  # “ ”
    ("\u201e", "\u201d"),  # „ ” (Polish style)
    ("\u201e", "\u201c"),  # „ “ (German style: “ closes here, though it opens in English)
    ("\u00ab", "\u00bb"),  # « »
    ('"', '"'),
)
#: Single curly quotes: only used when asked, because ’ is far more often an apostrophe.
SINGLE_QUOTE_PAIR: tuple[str, str] = ("\u2018", "\u2019")  # ‘ ’

# --- Cues ------------------------------------------------------------------------------------------

#: Speech verbs whose subject is the speaker: "X said", "said X", "X told reporters".
CUE_VERBS: tuple[str, ...] = (
    "said", "says", "say", "told", "tells", "added", "adds", "stressed", "stresses", "noted",
    "notes", "warned", "warns", "stated", "states", "explained", "explains", "declared",
    "declares", "insisted", "insists", "emphasized", "emphasised", "emphasizes", "emphasises",
    "urged", "urges", "wrote", "writes", "asked", "asks", "vowed", "vows", "pledged", "pledges",
    "promised", "promises", "claimed", "claims", "argued", "argues", "reaffirmed", "reiterated",
    "announced", "announces", "remarked", "replied", "responded", "recalled", "continued",
    "cautioned", "admitted", "acknowledged", "affirmed", "asserted", "maintained", "predicted",
    "suggested", "tweeted", "posted", "reported", "reports", "quipped", "conceded", "concluded",
    "was quoted as saying", "is quoted as saying", "described as", "describes as", "called",
    "shot back", "hit back", "fired back",
)
#: Participles take the subject of the main clause: "Zelensky said ..., saying: “...”".
CUE_PARTICIPLES: tuple[str, ...] = (
    "saying", "adding", "telling", "noting", "stressing", "warning", "stating", "explaining",
    "declaring", "insisting", "emphasizing", "emphasising", "urging", "writing", "asking",
    "arguing", "claiming", "describing",
)
#: Cues followed by their source: "according to Xinhua", "in the words of the minister".
CUE_SOURCE_FIRST: tuple[str, ...] = ("according to", "in the words of", "quoting")
#: Speech verbs of real reporting, beyond the common ones above (hand list): the manner of saying
#: ("gushed", "raged", "implored") is a cue as surely as "said" is.
MORE_CUE_VERBS: tuple[str, ...] = (
    "implored", "implores", "gushed", "gushes", "raged", "rages", "shouted", "shouts", "yelled",
    "screamed", "exclaimed", "underscored", "underscores", "signaled", "signalled", "joked",
    "jokes", "boasted", "boasts", "bragged", "retorted", "snapped", "scoffed", "fumed", "mused",
    "lamented", "laments", "countered", "counters", "chided", "scolded", "recounted", "observed",
    "opined", "pleaded", "marveled", "marvelled", "griped", "complained", "complains",
    "thundered", "whispered", "interjected", "answered", "answers", "wondered", "reasoned",
    "teased", "texted", "emailed", "testified", "charged", "alleged", "alleges", "contended",
    "contends", "insist", "confided", "elaborated", "proclaimed", "barked", "sniped", "huffed",
    "cracked", "ranted", "vented", "conceded", "concedes", "admits", "acknowledges", "added",
    "demanded", "demands", "pressed", "sang", "sings", "cautioned", "summed up", "chimed in",
    "went on", "goes on", "put it", "puts it", "agreed", "agrees", "disagreed", "disagrees",
)
MORE_CUE_PARTICIPLES: tuple[str, ...] = (
    "joking", "boasting", "complaining", "recalling", "pleading", "conceding", "acknowledging",
    "admitting", "answering", "replying", "responding", "insisting", "lamenting", "remarking",
)


def _learned_cues() -> dict[str, list[str]]:
    """Cue verbs learned from PolNeAR train by scripts/learn_cues.py (see its docstring)."""
    import json
    from pathlib import Path

    path = Path(__file__).with_name("data") / "cue_verbs.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


#: Learned cue verbs that report the opposite of their clause, or no statement at all.
_NOT_CLAIMS = frozenset({
    "denied", "denies", "deny", "rejected", "rejects", "dismissed", "dismisses", "disputed",
    "questioned", "doubted", "doubt", "doubts", "refused", "declined", "condemned", "denounced",
    "decried", "challenged", "mocked", "attacked", "criticized", "slammed", "slams", "railed",
})


#: The same, public: a verb no list holds is never read as a cue when it is one of these.
NOT_CLAIM_VERBS = _NOT_CLAIMS


def _new(words, *known: tuple[str, ...]) -> tuple[str, ...]:
    """Words not yet a cue; never a lone first word of a source cue ("according")."""
    phrases = {p for group in known for p in group}
    firsts = {p.split()[0] for p in CUE_SOURCE_FIRST}
    return tuple(dict.fromkeys(w for w in words if w not in phrases and w not in firsts))


_LEARNED = _learned_cues()
CUE_VERBS = CUE_VERBS + _new(MORE_CUE_VERBS + tuple(_LEARNED.get("verbs", ())), CUE_VERBS)

#: Last words of unnamed sources ("the poll", "47 percent", "many Republicans"), learned by
#: scripts/learn_cues.py: a subject ending in one reports speech though it names nobody.
SOURCE_HEADS: frozenset[str] = frozenset(_LEARNED.get("source_heads", ()))
#: Words scripts/learn_cues.py keeps out of the cue lists: they introduce a text or a name, or
#: are nouns ("the memo reads", "a column titled", "complaints").
LEARNED_NOT_SPEECH: frozenset[str] = frozenset(_LEARNED.get("not_speech", ()))
#: Nouns that make a possessive name a speaker: "Stoltenberg’s remarks that ... “...”".
#: Verbs that report a claim only with a "that" clause ("the poll showed that ...", "Hale denied
#: that ..."), learned by scripts/learn_cues.py. Cues for reported speech only: they never
#: attribute a quotation in marks (see speakers.TextIndex.quote_cues).
#: Verbs that deny or refuse are not among them: "Hale denied that the board hid the cost" does
#: not state that the board hid it (see DENIAL_VERBS, read by the matching layer instead).
CLAIM_CUE_VERBS: tuple[str, ...] = tuple(
    w for w in _new(tuple(_LEARNED.get("that_verbs", ())), CUE_VERBS) if w not in _NOT_CLAIMS)
CUE_PARTICIPLES = CUE_PARTICIPLES + _new(
    MORE_CUE_PARTICIPLES + tuple(_LEARNED.get("participles", ())), CUE_PARTICIPLES, CUE_VERBS,
    CUE_SOURCE_FIRST)
SPEECH_NOUNS: tuple[str, ...] = (
    "remarks", "remark", "comments", "comment", "statement", "words", "warning", "claim",
    "claims", "speech", "assertion", "pledge", "promise", "message", "post", "tweet",
)

#: Cues that introduce reported speech with or without "that": "Tan said the talks went well".
REPORTING_BARE: frozenset[str] = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "stated", "states",
    "was quoted as saying", "is quoted as saying", "according to", "saying",
})
#: Cues that report speech only with "that": "Tan warned that ..." (but "Tan warned of ...",
#: "Tan stressed the importance of ...", "Tan vowed to ..." are not reported statements).
REPORTING_THAT: frozenset[str] = frozenset({
    "stressed", "stresses", "noted", "notes", "warned", "warns", "explained", "explains",
    "declared", "declares", "insisted", "insists", "emphasized", "emphasised", "emphasizes",
    "emphasises", "vowed", "vows", "pledged", "pledges", "promised", "promises", "claimed",
    "claims", "argued", "argues", "reaffirmed", "reiterated", "announced", "announces",
    "remarked", "replied", "responded", "cautioned", "admitted", "acknowledged", "affirmed",
    "asserted", "maintained", "predicted", "suggested", "tweeted", "posted", "reported", "reports",
    "conceded", "concluded", "shot back", "hit back", "fired back",
    "adding", "telling", "noting", "stressing", "warning", "stating",
    "explaining", "declaring", "insisting", "emphasizing", "emphasising", "arguing", "claiming",
    "remarks", "remark", "comments", "comment", "statement", "warning", "claim", "assertion",
    "pledge", "promise", "message",
})
REPORTING_THAT = REPORTING_THAT | frozenset(CLAIM_CUE_VERBS) | frozenset(
    w for w in CUE_VERBS + CUE_PARTICIPLES if w not in REPORTING_BARE)
#: Words before a cue that make it passive: "he was told ...", "it is said ...".
PASSIVE_MARKERS: frozenset[str] = frozenset({"is", "was", "were", "are", "been", "being", "be"})
#: Who a speaker "told": "told reporters", "told state media".
TOLD_OBJECTS: frozenset[str] = frozenset({
    "reporters", "journalists", "media", "lawmakers", "parliament", "him", "her", "them", "us",
    "me", "delegates", "supporters", "lawmakers", "legislators", "students", "listeners", "viewers",
    "readers", "congress", "senators", "members", "investors", "analysts", "residents",
    "audience", "audiences", "crowd", "crowds", "voters", "donors", "followers", "fans",
    "employees", "staff", "colleagues", "police", "investigators", "officials",
})
#: Lowercase words that describe whom a speaker told before that person's name: "told host
#: Dana Ruiz", "told CNN anchor Jake Tapper" (with ROLE_NOUNS and TITLES).
TOLD_DESCRIPTIONS: frozenset[str] = frozenset({
    "host", "anchor", "interviewer", "moderator", "presenter", "reporter", "journalist",
    "columnist", "radio", "television", "tv", "podcast", "show",
})
#: Words that may follow a determiner in an adjunct or object: "in a televised address",
#: "at a regular press briefing", "told a news conference", "told state media".
EVENT_WORDS: frozenset[str] = frozenset({
    "statement", "statements", "interview", "briefing", "press", "news", "conference", "speech",
    "address", "televised", "video", "post", "posts", "message", "letter", "report", "email",
    "emailed", "phone", "call", "written", "separate", "joint", "regular", "brief", "online",
    "social", "media", "website", "meeting", "summit", "forum", "session", "hearing", "event",
    "ceremony", "rally", "broadcast", "radio", "television", "tv", "podcast", "newspaper",
    "agency", "broadcaster", "channel", "audience", "crowd", "gathering", "committee", "daily",
    "weekly", "monthly", "state", "local", "national", "official", "statement", "release",
    "later", "earlier", "recent", "same", "late", "early", "exclusive", "public", "private",
    "reply", "response", "remarks", "comments", "posted", "published", "issued", "interview",
    "note", "notes", "clients", "customers", "research", "filing", "blog",
})
#: Prepositions that open an adjunct between a cue and its content: "said on Monday that".
ADJUNCT_PREPOSITIONS: frozenset[str] = frozenset({
    "on", "in", "at", "during", "via", "through", "with", "to", "from", "after", "before", "over",
})
#: Words that stand alone as an adjunct after a cue: "said Monday", "said earlier".
ADJUNCT_WORDS: frozenset[str] = frozenset({
    "yesterday", "today", "tonight", "earlier", "later", "recently", "previously", "again",
    "also", "separately", "publicly", "repeatedly", "however", "instead", "too", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})
#: Parts of a day or a calendar that follow a date word: "on Monday evening", "last week".
TIME_NOUNS: frozenset[str] = frozenset({
    "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year", "day", "time",
})
MONTHS: frozenset[str] = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
#: Words that show a finite verb, so a span after "said" is a clause and not a noun phrase
#: ("said the plan would fail" but not "told the story of the war"). Regular past tenses ("-ed")
#: are recognised by their ending.
FINITE_HINTS: frozenset[str] = frozenset({
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "do", "does", "did",
    "will", "would", "shall", "should", "can", "could", "may", "might", "must", "won't", "can't",
    "cannot", "wouldn't", "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't",
    "hasn't", "haven't", "held", "made", "took", "gave", "went", "came", "saw", "knew", "thought",
    "found", "told", "said", "began", "kept", "left", "met", "led", "sent", "built", "brought",
    "bought", "fought", "won", "lost", "paid", "put", "set", "ran", "rose", "fell", "grew",
    "stood", "spoke", "wrote", "broke", "chose", "drove", "flew", "sold", "spent", "meant", "felt",
    "hit", "cut", "let", "became", "got", "remains", "seeks", "wants", "needs", "plans", "hopes",
    "opposes", "supports", "believes", "intends", "expects", "aims", "stands", "lies", "means",
})
#: Words that cannot open reported content: "is said to be", "said goodbye", "said nothing".
CONTENT_BAD_STARTS: frozenset[str] = frozenset({
    "to", "by", "for", "of", "so", "as", "and", "or", "but", "nothing", "something", "anything",
    "goodbye", "hello", "thanks", "sorry", "yes", "no", "little", "much", "more", "in", "on", "at",
    "with", "about", "after", "before", "during", "when", "whether", "if", "how", "what", "why",
})

#: Words allowed between a subject and its verb: "Tan also said", "Li later told".
SUBJECT_FILLERS: frozenset[str] = frozenset({
    "also", "later", "then", "recently", "earlier", "previously", "further", "again", "once",
    "has", "have", "had", "was", "is", "were", "reportedly", "publicly", "repeatedly", "separately",
    "which", "who", "simply", "firmly", "strongly", "openly", "long", "often", "privately",
})

# --- Speakers ----------------------------------------------------------------------------------------

PRONOUNS: frozenset[str] = frozenset({"he", "she", "they"})

#: Role nouns that stand for a person named earlier: "the spokesman said".
ROLE_NOUNS: frozenset[str] = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "official", "officials",
    "leader", "chief", "ambassador", "diplomat", "envoy", "secretary", "chairman", "chairwoman",
    "chair", "director", "governor", "mayor", "senator", "premier", "chancellor", "general",
    "commander", "analyst", "expert", "researcher", "professor", "prosecutor", "judge", "lawyer",
    "attorney", "head", "adviser", "advisor", "representative", "lawmaker", "king", "queen",
    "prince", "pope", "author", "source", "fellow", "commentator", "executive", "officer",
    "economist", "strategist", "pollster", "aide", "founder", "editor", "manager", "consultant",
    "organizer", "scientist", "engineer", "correspondent", "activist", "sheriff", "commissioner",
    "congressman", "congresswoman", "councillor", "councilor",
})

#: Roles any named speaker may be called later whatever title introduced them: "Fed Chair Jerome
#: Powell ... the Fed chief said". Another role ("the minister") is only the person introduced
#: with it, or someone introduced with no role at all.
GENERIC_ROLES: frozenset[str] = frozenset({"chief", "head", "leader", "official"})
#: Words that make a role another person's: "the shadow chancellor" is not the chancellor.
ROLE_QUALIFIERS: frozenset[str] = frozenset({
    "shadow", "former", "deputy", "vice", "assistant", "opposition", "ex", "junior", "outgoing",
    "incoming", "previous", "late",
})

#: Titles stripped from the front of a name: "Russian President Vladimir Putin" -> "Vladimir Putin".
TITLES: frozenset[str] = frozenset({
    "president", "vice", "prime", "minister", "premier", "secretary", "chancellor", "king", "queen",
    "prince", "princess", "senator", "sen", "rep", "representative", "governor", "gov", "mayor",
    "general", "gen", "admiral", "colonel", "col", "captain", "capt", "lieutenant", "lt",
    "sergeant", "major", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame",
    "lord", "lady", "judge", "justice", "ambassador", "chairman", "chairwoman", "director",
    "spokesman", "spokeswoman", "spokesperson", "leader", "chief", "commissioner", "councilor",
    "councillor", "pope", "sheikh", "emir", "sultan", "state", "foreign", "defense", "defence",
    "deputy", "speaker", "commander", "envoy", "officer", "father", "rev", "bishop", "cardinal",
    "coach", "manager", "inspector", "detective", "sheriff", "superintendent", "chairperson",
    "chair", "ceo", "executive", "editor", "founder", "economist", "strategist", "treasurer",
    "moderator", "presenter", "anchor", "campaigner", "activist", "candidate", "nominee",
    "del", "delegate", "adm", "sgt", "cmdr", "amb", "supt", "insp", "cllr", "coun", "det",
})

#: Words naming what a title is "of" ("Secretary of State", "Chancellor of the Exchequer", "Chief
#: of Staff", "Secretary of Health and Human Services"): a person's name follows them, never
#: starts with them (app/pipeline/name_runs.py title_object_end). Organisation words, countries
#: and TITLES ("State", "Defense") count too.
TITLE_OBJECT_WORDS: frozenset[str] = frozenset({
    "staff", "exchequer", "treasury", "commerce", "labor", "labour", "justice", "energy",
    "education", "health", "agriculture", "interior", "transportation", "transport", "homeland",
    "security", "national", "intelligence", "veterans", "affairs", "housing", "urban",
    "development", "human", "services", "finance", "home", "trade", "industry", "environment",
    "culture", "communications", "operations", "public", "safety", "armed", "forces", "joint",
    "chiefs", "information", "economy", "economic", "planning", "immigration", "budget",
    "management", "united", "states", "war", "peace", "relations", "international", "european",
    "commonwealth", "opposition", "lords", "commons", "representatives", "federal", "reserve",
    "investigation", "central", "naval", "air", "staffs", "policy", "digital", "science",
    "technology", "research", "media", "sport", "sports", "tourism", "women", "children",
    "family", "families", "welfare", "pensions", "work", "employment", "justice", "legal",
    "constitutional", "parliamentary", "legislative", "executive", "general", "army", "navy",
})

#: Capitalised words that start a sentence or name a thing but are never a speaker's name.
NAME_STOPWORDS: frozenset[str] = frozenset({
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "so", "as", "if", "when", "while",
    "during", "after", "before", "since", "this", "that", "these", "those", "it", "its", "he",
    "she", "they", "we", "i", "you", "his", "her", "their", "our", "there", "here", "what",
    "according", "meanwhile", "however", "still", "yet", "also", "both", "many", "some", "last",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "earlier", "later", "today", "yesterday", "to", "for", "of", "with",
    "by", "from", "not", "no", "all", "each", "every", "such", "other", "another", "related",
    "others", "several", "most", "few", "everyone", "someone", "nobody", "anyone",
})

#: Lowercase words that can sit inside a person's name ("Ursula von der Leyen", "Luiz Inácio Lula da Silva").
NAME_PARTICLES: frozenset[str] = frozenset({
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "le", "la",
    "al", "el", "bin", "ibn", "ben", "ter", "zu",
})

#: Lowercase words joining an organisation word to the rest of its name: "Ministry of Defence",
#: "Institute for Fiscal Studies", "Council on Foreign Relations".
ORG_CONNECTORS: frozenset[str] = frozenset({"of", "for", "on"})

#: Words that mark a capitalised run as an organisation, not a person ("Defense Ministry").
ORG_WORDS: frozenset[str] = frozenset({
    "ministry", "agency", "department", "office", "council", "committee", "commission", "party",
    "government", "army", "military", "navy", "force", "forces", "times", "post", "news", "tv",
    "press", "reuters", "university", "institute", "academy", "bank", "fund", "union",
    "association", "organization", "organisation", "company", "corporation", "group", "court",
    "parliament", "congress", "senate", "house", "kremlin", "pentagon", "embassy", "mission",
    "daily", "journal", "herald", "tribune", "network", "service", "center", "centre",
    "federation", "republic", "nations", "alliance", "bureau", "administration",
    "authority", "authorities", "police", "board", "regulator", "watchdog", "cabinet", "secretariat",
    "guard", "coastguard",
})

#: Words that make a capitalised run a place, never a person: "Marrow County", "Orleans Parish",
#: "Fairfax County" (an office after them is an office of that place: "the Dane County executive").
PLACE_KINDS: frozenset[str] = frozenset({
    "county", "parish", "district", "province", "city", "township", "borough", "prefecture",
    "municipality", "canton", "oblast", "region", "state",
})

#: A country's possessive and its adjective name the same body: "China's defense ministry" is
#: the "Chinese Defense Ministry". Used to give an organisation one canonical name.
DEMONYMS: dict[str, str] = {
    "china": "chinese", "russia": "russian", "america": "american", "britain": "british",
    "france": "french", "germany": "german", "japan": "japanese", "india": "indian",
    "iran": "iranian", "israel": "israeli", "ukraine": "ukrainian", "taiwan": "taiwanese",
    "korea": "korean", "italy": "italian", "spain": "spanish", "turkey": "turkish",
    "brazil": "brazilian", "canada": "canadian", "australia": "australian", "mexico": "mexican",
    "pakistan": "pakistani", "egypt": "egyptian", "poland": "polish", "syria": "syrian",
    "vietnam": "vietnamese", "philippines": "philippine", "indonesia": "indonesian",
    "europe": "european", "nigeria": "nigerian", "kenya": "kenyan", "sweden": "swedish",
}

#: Words that describe a person without naming one: a nationality or a party, alone ("the
#: Republican said") or before a noun ("said the Socialist nominee", "a German user"). Never a
#: speaker's name on their own: "the Republican" alone reads as a role (the person in view),
#: "the French" alone as nobody.
PARTY_WORDS: frozenset[str] = frozenset({
    "republican", "democrat", "democratic", "socialist", "conservative", "liberal", "labour",
    "tory", "libertarian", "progressive", "independent",
})
DESCRIPTOR_ADJECTIVES: frozenset[str] = frozenset(DEMONYMS.values()) | PARTY_WORDS | frozenset({
    "english", "scottish", "irish", "welsh",
    "dutch", "belgian", "swiss", "austrian", "greek", "portuguese", "norwegian", "danish",
    "finnish", "hungarian", "romanian", "czech", "serbian", "saudi", "iraqi", "afghan", "cuban",
    "venezuelan", "colombian", "argentine", "chilean", "peruvian", "african", "asian", "latino",
    "hispanic", "arab", "muslim", "christian", "jewish", "catholic", "evangelical", "western",
})

#: Words that open an apposition after a name: "Tan Kefei, a spokesperson for ..., said".
APPOSITION_OPENERS: frozenset[str] = frozenset({"a", "an", "the", "who", "whose", "one"})

#: Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "lt", "capt", "jr",
    "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.n", "e.g", "i.e", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "rev", "adm", "sgt", "cmdr",
    "amb", "supt", "insp", "del", "cllr", "coun", "det",
})

#: US state abbreviations (AP style) in datelines and addresses: "SPRINGFIELD, Ill. (AP) —".
#: Compared as written, capitalised, so "he fell ill." still ends a sentence.
STATE_ABBREVIATIONS: frozenset[str] = frozenset({
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky",
    "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa",
    "Tenn", "Va", "Vt", "Wash", "Wis", "Wyo",
})

# --- Thresholds ------------------------------------------------------------------------------------

#: Quoted fragments shorter than this are labels and scare quotes ("no-limits", "rules"); one
#: shorter than SHORT_QUOTE_WORDS is kept only with a speaker and a cue right at it (after it,
#: or at most SHORT_QUOTE_REACH words before it: 'called it “a total disaster,”'); inside
#: somebody's sentence it is a term in marks ('would create a “multipolar world order”').
#: An unattributed fragment still needs MIN_UNATTRIBUTED_WORDS. Measured on PolNeAR
#: (bench.polnear, direct quotes, word overlap, precision / F1): 4 words: dev 0.9794 / 0.9843,
#: train 0.9791 / 0.9827; 3 with the cue rule: dev 0.9794 / 0.9856, train 0.9791 / 0.9836;
#: 3 without it: F1 0.9863 / 0.9839 but the seeds' terms in marks became quotes (seeds quote F1
#: 1.000 -> 0.959); 2 with the cue rule: F1 +0.0002 / +0.0004 for precision -0.0006 / -0.0002.
MIN_QUOTE_WORDS = 3
SHORT_QUOTE_WORDS = 4
SHORT_QUOTE_REACH = 3
#: A quoted piece up to this long (characters) with every word capitalised but TITLE_SMALL_WORDS
#: is the title of a work, show or slogan, not speech ("The Art of the Deal").
MAX_TITLE_CHARS = 90
TITLE_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "nor", "but", "with", "at", "by",
    "from", "as", "vs", "via", "into", "over", "per",
})
#: A fragment this short with no speaker found is a term being mentioned, not a quotation.
MIN_UNATTRIBUTED_WORDS = 6
#: After a verb that reports only a clause ("believes", "showed"), the clause's own verb must come
#: within this many words of it, with no punctuation between ("believes the new pier will fail").
BARE_CLAUSE_REACH = 9
#: Verbs that report a position rather than a clause (app/pipeline/reported.py _position):
#: an object and a to-infinitive ("urged the board to close the pier"), "on" and the same
#: ("called on the board to ..."), "for" and what is wanted ("called for a ban on ..."), or what
#: is wanted right after the verb ("proposed closing the pier", "demanded a recount").
POSITION_TO_VERBS: frozenset[str] = frozenset({
    "urged", "urges", "urging", "asked", "asks", "asking", "pressed", "presses", "pressing",
    "encouraged", "encourages", "encouraging", "implored", "implores", "challenged", "challenges",
    "invited", "invites", "begged", "told", "tells", "telling", "warned", "warns", "warning",
    "advised", "advises", "pushed", "pushes", "pushing", "pleaded", "called", "calls", "calling",
})
POSITION_ON_VERBS: frozenset[str] = frozenset({"called", "calls", "calling"})
POSITION_FOR_VERBS: frozenset[str] = frozenset({
    "called", "calls", "calling", "pushed", "pushes", "pushing", "argued", "argues", "arguing",
    "pressed", "presses", "pressing", "advocated", "advocates", "lobbied", "pleaded", "begged",
})
POSITION_NP_VERBS: frozenset[str] = frozenset({
    "proposed", "proposes", "proposing", "demanded", "demands", "demanding", "advocated",
    "advocates", "recommended", "recommends",
})
#: Verbs of asking: what follows is a question (never a claim) or, with "to", a request.
QUESTION_VERBS: frozenset[str] = frozenset({
    "asked", "asks", "ask", "asking", "wondered", "wonders", "wondering", "inquired", "questioned",
})
#: Words shaped like a verb ("-ed", "-ing") that are no speech cue before "that": "so worried
#: that", "the morning that", "during the meeting that" (see speakers._shaped_cue).
NOT_SHAPED_CUES: frozenset[str] = frozenset({
    "nothing", "something", "anything", "everything", "thing", "things", "morning", "evening",
    "meeting", "building", "during", "including", "following", "regarding", "concerning",
    "according", "ensuring", "ensured", "assumed", "assuming", "provided", "providing", "given",
    "supposed", "expected", "worried", "convinced", "surprised", "pleased", "disappointed",
    "concerned", "interested", "excited", "relieved", "shocked", "amazed", "needed", "wanted",
    "believed", "designed", "intended", "happened", "seemed", "passed", "required", "proved",
    "so-called", "unfounded", "guaranteed", "assured", "meaning", "causing", "ensuring",
    "followed", "renewed", "offering", "having",
})
#: Words an object may take before the "to" of a request ("urged the state's largest union to").
POSITION_OBJECT_WORDS = 6
#: Words a speaker's audience and setting may take between a cue and its "that": "told
#: their allies in the party that ..." (app/pipeline/reported.py _that_ahead).
THAT_REACH = 8
#: Verbs whose object is the listener ("told voters that", "assured the board that").
TELL_VERBS: frozenset[str] = frozenset({
    "told", "tells", "telling", "tell", "warned", "warns", "warning", "assured", "assures",
    "reminded", "reminds", "informed", "informs", "convinced", "promised", "promises", "notified",
    "persuaded", "advised", "urged", "wrote",
})
#: Reported speech needs a content clause at least this long (words) to be worth a record: "they
#: were angry" (a clause with its own finite verb, checked apart) is a statement; PolNeAR train
#: annotates such short clauses (3 words against 5 on train: recall 0.702 -> 0.703, precision
#: 0.918 -> 0.919, named speakers right 5265 -> 5299 of 8662).
MIN_REPORTED_WORDS = 3
#: The learned gate's looser readings (no finite verb needed) keep the longer minimum they were
#: trained with (scripts/train_reported_gate.py): three words there read "call him Hypo-Hale" or
#: "with the board" as statements.
MIN_GATE_WORDS = 5
#: A line up to this long (characters) that ends with no full stop is a headline, caption or
#: bullet: it reports nothing (app/pipeline/reported.py).
MAX_HEADLINE_CHARS = 400
#: A sentence longer than this (characters) is not searched for reported speech: prose rarely
#: runs so long, and the bound keeps the work linear on text with no full stops.
MAX_REPORTED_CHARS = 1500
#: Marked fragments up to this long with no cue attached are scare quotes ("no-limits").
MAX_SCARE_WORDS = 3
#: Words an aside may take between a speaker's name and the cue after a quote: '“...,” Lena
#: Marsh, director of research at the Harbour Institute, said'.
MAX_APPOSITION_WORDS = 30
#: How far (characters) to look around a quote for its cue; bounds work on huge inputs.
CUE_WINDOW = 400
#: A statement shorter than this (in words) is not worth tracking as a claim.
MIN_CLAIM_WORDS = 3
#: Two texts sharing this many consecutive normalized words state the same claim.
MIN_SHARED_RUN = 8
#: Words that, after a comma, join two clauses of one quote: "... security and stability, and
#: serving the building of ...". Each clause travels on its own, so a quote is cut there (";"
#: always joins clauses, and so do "and that" / "but that" with or without a comma, as in
#: reported speech: "said A and that B", and "and" before a pronoun and an auxiliary: "It will be
#: finished by 2028 and it will pay for itself") when both sides keep MIN_CLAUSE_WORDS words; a
#: list ("patrols, drills, and training") has shorter items and stays whole.
CLAUSE_JOINS: tuple[str, ...] = ("and", "but", "while", "whereas", "because", "as well as", "and also")
MIN_CLAUSE_WORDS = 5
#: Join words a clause window of a long sentence does not start with ("and officials said ..."
#: starts at "officials"): see app/pipeline/context.py passage_windows.
WINDOW_OPENING_JOINS: tuple[str, ...] = ("and", "but", "or", "while", "as well as", "and also")

# --- Matching across outlets ---------------------------------------------------------------------

#: Words that carry no subject: left out when comparing a claim with a passage and when asking the
#: search index for candidates. Negations are NOT here: they decide stance (see NEGATION_CUES).
MATCH_STOPWORDS: frozenset[str] = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "as", "into", "onto", "over", "under", "about", "between", "through", "during", "than", "that",
    "this", "these", "those", "it", "its", "it's", "their", "there", "they", "them", "his", "her",
    "he", "she", "we", "our", "us", "you", "your", "i", "my", "me", "who", "whom", "which", "what",
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does",
    "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "also",
    "said", "says", "say", "told", "added", "according", "such", "so", "very", "more", "most",
    "all", "any", "some", "each", "other", "both", "own", "same", "just", "only", "further",
    "while", "if", "then", "when", "where", "how", "why", "because", "after", "before", "up",
    "out", "new", "two", "one", "s",
})
#: Words and phrases that deny or negate: a passage whose polarity differs from the claim's is a
#: possible contradiction, proposed to an analyst and never linked on its own.
#: Verbs that deny the clause they govern: "X disputed the government's claim that P" denies P,
#: however far the verb stands from it in the sentence.
DENIAL_VERBS: tuple[str, ...] = (
    "denied", "denies", "deny", "denying", "rejected", "rejects", "refuted", "refutes",
    "dismissed", "dismisses", "disputed", "disputes", "disputing", "contested", "contests",
    "rebutted", "doubted", "questioned",
)
#: Phrases that deny the clause they govern the same way: "cast doubt on the promise that P".
DENIAL_PHRASES: tuple[str, ...] = ("cast doubt", "casts doubt", "casting doubt")
NEGATION_CUES: tuple[str, ...] = (
    "not", "no", "never", "none", "nor", "neither", "nothing", "nobody", "without", "cannot",
    "can't", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "shouldn't", "wouldn't", "groundless", "baseless", "false", "untrue",
    "unfounded", "no signs", "no evidence", "far from",
) + DENIAL_VERBS + DENIAL_PHRASES
#: "A rather than B", "A instead of B": B is denied, A asserted. A passage that carries a claim on
#: the B side contradicts it; one that carries it on the A side repeats it (see
#: pipeline.matching._polarity).
CONTRAST_CUES: tuple[str, ...] = ("rather than", "instead of", "as opposed to")
#: Phrases that start with a negation word yet affirm: they cancel the cue they contain.
NOT_NEGATIONS: tuple[str, ...] = ("not only", "no doubt", "not least", "nothing but")
#: Characters of a word kept when comparing: a crude stem ("militaries" ~ "military") that is
#: cheap, needs no language model and serves the search index as a prefix query.
MATCH_STEM_CHARS = 6
#: The least a content word weighs in a match score, however many claims hold it.
MIN_TERM_WEIGHT = 0.1
#: Candidates fetched from the full-text index per passage before scoring.
MATCH_CANDIDATES = 12
#: A passage's stems offered to the index per passage (longest first); the index layer sends the
#: rarest few of them (app/storage/search.py).
MATCH_QUERY_TERMS = 40
#: Sentences of one article matched against the stored claims (and checked for copied passages).
#: News articles have tens; a 2 MB dump has tens of thousands, each one an index query. Beyond
#: this many, an article's quotes are still linked but its remaining sentences are not matched;
#: the ingest event records how many were left (`sentences_not_matched`).
MATCH_MAX_SENTENCES = 1500
#: A claim an article creates is matched back against at most this many stored articles on its
#: subject (those mentioning the stored claims closest to it): the outlets that carried it first.
MATCH_EARLIER_ARTICLES = 12

# --- Known claims: fact-checkers' ratings -----------------------------------------------------------
# Appended for app/pipeline/known_claims.py. A rating (as a fact-checker writes it) is lowercased,
# its punctuation and hyphens turned into spaces, then looked up here; a rating not listed maps to
# no status and is kept only as text, so an unfamiliar scale never becomes a wrong verdict.

#: Textual ratings that mean the claim is false.
RATINGS_FALSE: frozenset[str] = frozenset({
    "false", "pants on fire", "fake", "incorrect", "wrong", "not true", "untrue", "fabricated",
    "hoax", "baseless", "debunked", "fake news", "four pinocchios", "totally false", "inaccurate",
    "falso", "faux",
})
#: Ratings that mean it is partly true, out of context or distorted.
RATINGS_MISLEADING: frozenset[str] = frozenset({
    "misleading", "half true", "mostly false", "missing context", "exaggerated", "exaggeration",
    "out of context", "partly false", "partially false", "partly true", "partially true", "mixed",
    "mixture", "distorted", "needs context", "lacks context", "cherry picked", "half truth",
    "three pinocchios", "two pinocchios", "spin", "engañoso", "trompeur",
})
#: Ratings that confirm it.
RATINGS_VERIFIED: frozenset[str] = frozenset({
    "true", "correct", "accurate", "mostly true", "mostly correct", "mostly accurate", "verified",
    "confirmed", "verdadero", "vrai",
})
#: Ratings that say the evidence is missing or contested.
RATINGS_DISPUTED: frozenset[str] = frozenset({
    "disputed", "unproven", "unsupported", "unverified", "unsubstantiated", "no evidence",
    "lacks evidence", "in dispute", "contested", "research in progress", "unverifiable",
})
#: A numeric ratingValue placed on its scale (0 = worstRating, 1 = bestRating): below the first
#: bound is false, below the second misleading, the rest verified (1-5: 1 false, 2-3 misleading).
NUMERIC_RATING_FALSE_BELOW = 0.2
NUMERIC_RATING_MISLEADING_BELOW = 0.7

#: Words that may join the names of a list ("Li Shangfu, Sergei Shoigu and Valery Gerasimov"): a
#: quoted piece made only of capitalised words and these is a list of names, never a claim.
NAME_LIST_JOINERS = frozenset({"and", "or", "&", "of", "the", "de", "van", "von", "al", "bin", "da", "y"})

# --- One person across articles (app/pipeline/person_names.py) -------------------------------------

#: Honorifics and ranks dropped before names are compared, besides TITLES and ROLE_NOUNS above:
#: "Rear Adm. John Mauger", "Adm. Mauger" and "John Mauger" are one person. Compared lowercase,
#: full stop removed.
IDENTITY_HONORIFICS: frozenset[str] = frozenset({
    "adm", "rear", "vice", "maj", "brig", "gen", "cmdr", "cdr", "sgt", "cpl", "pvt", "lt", "col",
    "capt", "ret", "hon", "honorable", "honourable", "rt", "right", "reverend", "rabbi", "imam",
    "sen", "rep", "gov", "mr", "mrs", "ms", "mx", "dr", "prof", "sir", "dame", "lord", "lady",
    "cllr", "coun", "councillor", "councilor", "det", "insp", "supt",
    "madam", "madame", "mme", "monsieur", "herr", "frau", "senora", "señora", "senor", "señor",
    "chief", "justice", "attorney", "general", "surgeon", "secretary", "prime", "minister",
    "president", "vice-president", "speaker", "ambassador", "commissioner", "mayor", "governor",
    "senator", "representative", "congressman", "congresswoman", "councilman", "councilwoman",
    "assemblyman", "assemblywoman", "delegate", "state", "foreign", "defense", "defence",
    "journalist", "reporter", "columnist", "correspondent", "pollster", "historian", "consultant",
    "of", "the",
})
#: Words that tell a woman from a man: honorifics, and nouns set before a name ("his daughter,
#: Clara Brenner", "first lady Michelle Obama"); "Mr. Obama" is not Michelle Obama.
FEMALE_WORDS: frozenset[str] = frozenset({
    "mrs", "ms", "miss", "madam", "madame", "mme", "lady", "dame", "queen", "princess", "frau",
    "senora", "señora", "wife", "daughter", "mother", "sister", "widow", "spokeswoman", "chairwoman",
    "congresswoman", "councilwoman", "assemblywoman", "businesswoman", "actress", "grandmother",
    "granddaughter", "niece", "aunt", "she",
})
MALE_WORDS: frozenset[str] = frozenset({
    "mr", "sir", "lord", "king", "prince", "monsieur", "herr", "senor", "señor", "husband", "son",
    "father", "brother", "widower", "spokesman", "chairman", "congressman", "councilman",
    "assemblyman", "businessman", "actor", "grandfather", "grandson", "nephew", "uncle", "he", "his",
})
#: Abbreviated titles and the title they stand for: "Gov. Paul Kessler" is the governor.
TITLE_ABBREVIATIONS: dict[str, str] = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "amb": "ambassador", "adm": "admiral", "supt": "superintendent", "capt": "captain",
    "col": "colonel", "lt": "lieutenant", "sgt": "sergeant", "prof": "professor", "det": "detective",
    "insp": "inspector", "cmdr": "commander", "rev": "reverend",
}
#: Words after a surname that set apart a father and a son: ignored when only one name has one,
#: but "Ken Ward Jr." and "Ken Ward Sr." stay two people.
NAME_SUFFIXES: frozenset[str] = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})

# --- Stance (app/pipeline/stance.py): cues a learned model weighs; the weights are learned. ---
#: Words and phrases by which a passage reports a statement without vouching for it: "reportedly",
#: "may have", "unconfirmed", "sources say". A cue also in the claim itself is not counted (a
#: claim that "X could close" is restated by "X could close").
STANCE_HEDGE_CUES: tuple[str, ...] = (
    "reportedly", "allegedly", "alleged", "alleges", "purportedly", "purported", "supposedly",
    "apparently", "possibly", "possible", "may", "might", "could", "perhaps", "likely", "probably",
    "unconfirmed", "unverified", "rumour", "rumor", "rumours", "rumors", "rumoured", "rumored",
    "speculation", "speculate", "claims", "claimed", "claim", "claiming", "believed", "thought to",
    "appears", "appear", "seems", "seem", "suspected", "suspect", "report", "reports",
    "sources", "source", "said to", "whether", "if", "expected", "considering", "mulls", "weighs",
    "in talks", "set to", "plans", "planning", "hints", "suggests", "suggest", "speculated",
    "predicts", "predicted", "forecast", "forecasts", "eyes", "eyeing", "considers", "potential",
    "potentially", "said to be", "reported", "maybe", "unclear", "investigating", "investigation",
)
#: Words by which a passage vouches for what it reports: it happened, it is official.
STANCE_CONFIRM_CUES: tuple[str, ...] = (
    "confirms", "confirmed", "confirm", "confirmation", "official", "officially", "announces",
    "announced", "verified", "proof", "proves", "proven", "indeed", "finally",
)
#: Who tells it when a passage only passes it on: "..., officials say", "according to sources"
#: (matched as "<teller> <verb>" or "according to [the] <teller>"). "According to the ministry"
#: names a speaker: the passage repeats the claim as the speaker's, so a name is no teller here.
STANCE_TELLERS: tuple[str, ...] = (
    "officials", "official", "sources", "source", "police", "reports", "report", "media", "witnesses",
    "insiders", "analyst", "analysts", "experts", "rumours", "rumors", "study", "researchers",
)
STANCE_TELLING_VERBS: tuple[str, ...] = ("say", "says", "said", "claim", "claims", "suggest", "suggests")
#: Words and phrases by which a passage refutes or debunks what it reports.
STANCE_REFUTE_CUES: tuple[str, ...] = (
    "hoax", "hoaxes", "fake", "faked", "fakes", "false", "falsely", "untrue", "not true", "debunk",
    "debunked", "debunks", "deny", "denies", "denied", "denial", "myth", "bogus", "made up",
    "fabricated", "fabrication", "satire", "satirical", "parody", "spoof", "prank", "pranked",
    "troll", "trolled", "trolls", "fooled", "fool", "scam", "doctored", "photoshopped", "misleading",
    "baseless", "no evidence", "unfounded", "groundless", "nonsense", "lie", "lies", "lied", "fiction",
    "fictional", "wrong", "mistaken", "not real", "isn't real", "actually", "really", "in fact",
    "exposed", "revealed", "refutes", "refuted", "rejects", "rejected", "dismisses", "dismissed",
    "doubt", "doubts", "skeptical", "sceptical", "unlikely", "bailed", "backs out", "backed out",
    "pulls out", "pulled out", "cancels", "cancelled", "canceled", "retracts", "retracted",
    "correction", "not", "no", "never", "didn't", "isn't", "wasn't", "won't", "doesn't", "contrary",
    "hasn't", "haven't", "aren't", "weren't", "denying", "debunking", "busted", "exaggerated",
    "staged", "conspiracy", "misinformation", "fact check", "urban legend", "rubbish", "bs",
    "bullshit", "nope", "shoots down", "record straight", "falls for", "fell for", "questions",
    "despite", "rumours of", "rumors of",
    # a death or capture story denied by its subject: "X is alive", "says she is safe"
    "alive", "safe",
)
#: "no"/"not" that negates nothing: "No joke", "no wonder", "not only ... but", beside
#: NOT_NEGATIONS ("no-show" is one word: the hyphen is joined before reading).
STANCE_AFFIRMING_NO: tuple[str, ...] = (
    "no joke", "no kidding", "no wonder", "no surprise", "no matter", "no question",
) + NOT_NEGATIONS
