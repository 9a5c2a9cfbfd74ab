"""Speaker names: one canonical name per person or body, the aliases later articles may use,
and roles ("the spokesperson") resolved to the person introduced with them."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes
from app.pipeline.speakers import canonical_speaker, speaker_aliases
from app.pipeline.name_runs import is_person_name


@pytest.mark.parametrize("written, canonical", [
    ("Northport Harbour Authority spokesperson Mirela Dunst", "Mirela Dunst"),
    ("spokesperson Mirela Dunst", "Mirela Dunst"),
    ("President Lena Varga", "Lena Varga"),
    ("Finance Minister Omar Haddad", "Omar Haddad"),
    ("Alliance secretary-general Jonas Berg", "Jonas Berg"),
    ("Mr. Okafor", "Okafor"),
    ("Mirela Dunst, a spokesperson for the authority", "Mirela Dunst"),
    ("Ursula von der Leyen", "Ursula von der Leyen"),
    ("Mirela Dunst", "Mirela Dunst"),
    ("Dunst", "Dunst"),
    ("the Italian Defense Ministry", "Italian Defense Ministry"),
    ("Italy’s defense ministry", "Italian Defense Ministry"),
    ("Italy's Defense Ministry", "Italian Defense Ministry"),
    ("Defense Ministry", "Defense Ministry"),
    ("the State Department", "State Department"),
    ("Radio Nova", "Radio Nova"),
    ("", ""),
])
def test_canonical_speaker_strips_titles_and_keeps_bodies_whole(written, canonical):
    assert canonical_speaker(written) == canonical


def test_aliases_of_a_person_hold_the_full_name_and_the_surname():
    aliases = speaker_aliases("Northport Harbour Authority spokesperson Mirela Dunst")
    assert {"mirela dunst", "dunst"} <= aliases
    assert all(a == a.lower() for a in aliases)
    assert "spokesperson" not in aliases and "authority" not in aliases


def test_aliases_of_a_body_have_no_lone_words():
    aliases = speaker_aliases("the Italian Defense Ministry")
    assert aliases == {"italian defense ministry"}
    assert speaker_aliases("Italy’s defense ministry") >= {"italian defense ministry"}
    assert not any(" " not in a for a in speaker_aliases("Regional Transport Agency"))


def test_a_body_named_with_of_or_for_is_one_speaker():
    text = ("The Ministry of Foreign Affairs said the harbour talks would resume in May next year.\n"
            "The Institute for Fiscal Studies said the numbers for the new harbour did not add up.\n"
            "Bank of England Governor Andrew Bailey said inflation would fall back to target next year.\n"
            "Secretary of State Ana Ruiz said the ceasefire must hold for the whole region.")
    assert [q.speaker for q in extract_quotes(text)] == [
        "Ministry of Foreign Affairs", "Institute for Fiscal Studies", "Andrew Bailey", "Ana Ruiz"]
    assert canonical_speaker("the Ministry of Foreign Affairs") == "Ministry of Foreign Affairs"
    assert canonical_speaker("Secretary of State Ana Ruiz") == "Ana Ruiz"
    assert speaker_aliases("Institute for Fiscal Studies") == {"institute for fiscal studies"}


def test_a_bare_role_has_no_alias():
    assert speaker_aliases("the spokesman") == set()


def test_the_spokesperson_is_the_person_introduced_with_that_role():
    text = ("Harbour authority spokesperson Mirela Dunst announced the closure on Monday.\n"
            "Mayor Ana Ruiz will visit the pier on Tuesday with two engineers.\n"
            "The pier will stay closed to all cargo traffic until June, according to the spokesperson.")
    [q] = [q for q in extract_quotes(text) if q.speaker]
    assert q.speaker == "Mirela Dunst" and q.kind == "reported"


def test_a_body_named_in_lowercase_speaks():
    text = "Cargo ships will be allowed back into the harbour in May, Italy’s transport ministry said."
    [q] = extract_quotes(text)
    assert q.speaker == "Italy’s transport ministry" and q.kind == "reported"
    assert canonical_speaker(q.speaker) == "Italian Transport Ministry"


def test_a_title_word_inside_an_organisation_name_is_kept():
    text = ("“The exercises are routine and threaten nobody in the region,” "
            "the Italian Defense Ministry said.")
    assert extract_quotes(text)[0].speaker == "Italian Defense Ministry"


def test_a_hyphenated_pair_of_countries_is_not_a_person():
    text = ("Italy-Austria relations have improved.\n"
            "After Austria said it would open the border crossing again to all freight "
            "traffic, trade resumed.")
    speakers = {q.speaker for q in extract_quotes(text)}
    assert speakers == {"Austria"}


def test_a_role_owned_by_a_possessive_is_its_own_speaker():
    text = ("Portugal's finance minister said on Tuesday the government would not raise the fuel "
            "tax this year.\n"
            "In a later interview, he told the radio: \"The rules apply to this government as to any other.\"")
    reported, direct = extract_quotes(text)
    assert reported.speaker == direct.speaker == "Portugal's finance minister"
    assert (reported.kind, direct.kind) == ("reported", "direct")


def test_the_mayors_spokesman_is_not_the_mayor():
    text = ("\"We will keep every branch open,\" Mayor Dana Whitfield said on Monday.\n"
            "The mayor's spokesman said the library budget would be cut by a fifth next year.")
    direct, reported = extract_quotes(text)
    assert direct.speaker == "Dana Whitfield"
    assert reported.speaker == "mayor's spokesman"


def test_an_office_owned_by_a_possessive_speaks():
    text = "The French president's office said the two countries agreed on the need for a stronger Europe."
    [q] = extract_quotes(text)
    assert (q.speaker, q.kind) == ("French president's office", "reported")


def test_a_body_named_with_an_ampersand_speaks_through_its_spokeswoman():
    text = ("A spokeswoman for the administrators, Grant & Moss, said talks with two buyers were "
            "continuing. \"We remain hopeful of a sale that protects every home,\" she said.")
    reported, direct = extract_quotes(text)
    assert reported.speaker == direct.speaker == "Grant & Moss"
    assert canonical_speaker("Grant & Moss") == "Grant & Moss" and not is_person_name("Grant & Moss")


def test_others_and_several_are_nobody_in_particular():
    text = "Economists were divided. Others warned that any loosening of the rules would unsettle markets."
    assert [q.speaker for q in extract_quotes(text)] == []


@pytest.mark.parametrize("title", ["Dr.", "Sen.", "Gov.", "Prof."])
def test_a_title_cut_short_with_a_full_stop_is_part_of_the_name_run(title):
    text = (f"“This is the worst storm the harbour has seen in a decade,” said {title} Helen Okoye, "
            f"who has studied the coast since 2015. “The quays are already flooded.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Helen Okoye", "Helen Okoye"]


def test_an_indefinite_role_with_a_modifier_names_a_new_speaker():
    text = ("“We will keep every branch open,” Mayor Dana Whitfield said.\n"
            "“The council does not comment on budgets before the vote,” a council spokeswoman said.\n"
            "“Nobody has told the library staff anything at all,” a spokeswoman said.")
    assert [q.speaker for q in extract_quotes(text)] == ["Dana Whitfield", "council spokeswoman", None]


def test_the_name_after_a_role_written_after_the_cue_is_the_speaker():
    text = ("“We were not prepared for what we saw,” said the study's lead author, Dr. Priya Raman "
            "of the Coastal Research Institute. “Whole sections of the reef are now white.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Priya Raman", "Priya Raman"]


def test_a_second_verb_shares_the_subject_of_the_first():
    text = ("Harbour master Ben Hollis added that the pier could reopen if the storms eased, but "
            "warned that “the window for repairs is closing fast.”")
    found = extract_quotes(text)
    assert [(q.kind, q.speaker) for q in found] == [("reported", "Ben Hollis"), ("partial", "Ben Hollis")]
    assert found[1].cue == "warned"


@pytest.mark.parametrize("name", ["J.D. Harlan", "Mary J. Blige"])
def test_initials_are_part_of_a_name_and_never_an_alias(name):
    text = f"“The harbour will not survive another winter like this one,” said {name}, an analyst."
    assert [q.speaker for q in extract_quotes(text)] == [name]
    assert not any(alias.endswith(".") for alias in speaker_aliases(name))  # no lone "j.d."


def test_a_qualified_role_is_not_the_person_introduced_with_the_plain_role():
    text = ("“Stability is the foundation of growth,” Chancellor Rachel Reeves said.\n"
            "But the shadow chancellor said families were paying the price for the government's "
            "mistakes.\n"
            "The chancellor said the decision was made by the Bank and not by the government.")
    assert [q.speaker for q in extract_quotes(text)] == ["Rachel Reeves", "shadow chancellor", "Rachel Reeves"]


def test_wire_attributions_to_groups_anonymous_officials_and_a_countrys_ministry():
    text = ("PORTVILLE, Norland (AP) — Storms flooded the old harbour overnight, Norland officials "
            "said Sunday, cutting power to half of the city.\n"
            "A senior coast guard official, who spoke on condition of anonymity, said the "
            "sea wall had failed in two places.\n"
            "Russia's Defense Ministry said its ships in the harbour had not been damaged by the storms.")
    found = extract_quotes(text)
    assert [(q.speaker, q.text) for q in found] == [
        ("Norland officials", "Storms flooded the old harbour overnight"),
        ("senior coast guard official", "the sea wall had failed in two places"),
        ("Russia's Defense Ministry", "its ships in the harbour had not been damaged by the storms"),
    ]
    assert canonical_speaker(found[2].speaker) == "Russian Defense Ministry"


def test_after_an_unnamed_role_speaks_she_is_not_the_last_person_named():
    text = ("“The company walked away from the table, not us,” union president Luis Ferreira said.\n"
            "The transport minister urged both sides to return to the table. “A strike helps nobody "
            "at all in this country,” she said.")
    assert [q.speaker for q in extract_quotes(text)] == ["Luis Ferreira", None]


def test_shot_back_is_a_cue_and_more_titles_are_stripped():
    text = ("Governor Tom Reyes shot back that Quinn had “never balanced a budget in her life.”\n"
            "“Please let each other finish the answer,” Moderator Ellen Park said.\n"
            "“The harbour plan will cost far more than anyone says,” said campaigner Jenny Marsh.")
    found = extract_quotes(text)
    assert [(q.kind, q.speaker) for q in found] == [
        ("reported", "Tom Reyes"), ("partial", "Tom Reyes"), ("direct", "Ellen Park"), ("direct", "Jenny Marsh")]


@pytest.mark.parametrize("source, speaker", [
    ("said the Portuguese fisheries minister, Ana Duarte.", "Ana Duarte"),
    ("said the Portuguese fisheries minister, Ana Duarte, on Tuesday.", "Ana Duarte"),
    ("said the Portuguese Fisheries Minister, Ana Duarte.", "Ana Duarte"),
    ("said Portugal's fisheries minister, Ana Duarte.", "Ana Duarte"),
    ("said the harbour board's spokesman, Tom Hale.", "Tom Hale"),
    ("said the spokesman, Tom Hale.", "Tom Hale"),
])
def test_a_descriptor_after_the_verb_then_a_name_gives_the_name(source, speaker):
    text = f"“The quotas for next year will not be cut any further,” {source}"
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize("source, speaker", [
    # a nationality or an adjective before the role is never the speaker: read as "the minister"
    ("said the Portuguese fisheries minister.", None),
    ("said the Brazilian ambassador to Norway.", None),
    # a role with an owner, or opened by "a", is the descriptor as written (as before the verb)
    ("said Portugal's prime minister.", "Portugal's prime minister"),
    ("said a senior Portuguese official.", "senior Portuguese official"),
])
def test_a_descriptor_after_the_verb_without_a_name_is_never_its_adjective(source, speaker):
    text = f"“The quotas for next year will not be cut any further,” {source}"
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_the_same_descriptor_after_the_verb_reads_like_the_one_before_it():
    """"the fisheries minister" is the person introduced in that role, whichever side of the
    verb it stands; an owner's role before the verb keeps its title words."""
    lead = "Ana Duarte, the fisheries minister, met the trawler owners on Monday.\n"
    quote = "“The quotas for next year will not be cut any further,” "
    before = extract_quotes(lead + quote + "the Portuguese fisheries minister said.")
    after = extract_quotes(lead + quote + "said the Portuguese fisheries minister.")
    assert [q.speaker for q in before] == [q.speaker for q in after] == ["Ana Duarte"]
    [owned] = extract_quotes(quote + "Portugal's prime minister said.")
    assert owned.speaker == "Portugal's prime minister"


@pytest.mark.parametrize("source, alone, in_view", [
    # a party before a noun, or alone after "the", is the person in view, never the party
    ("said the Socialist nominee.", None, "Ana Duarte"),
    ("said the Socialist.", None, "Ana Duarte"),
    ("the Socialist said.", None, "Ana Duarte"),
    # a nation alone is nobody, with or without a person in view
    ("the Portuguese said.", None, None),
    # "a" opens somebody new, as written; a body is named as written
    ("said a Portuguese fisherman.", "Portuguese fisherman", "Portuguese fisherman"),
    ("said the Portuguese embassy.", "Portuguese embassy", "Portuguese embassy"),
    # a name after the description is still the name
    ("said the Socialist party boss Rui Matos.", "Rui Matos", "Rui Matos"),
])
def test_a_nationality_or_party_word_is_never_the_speaker(source, alone, in_view):
    quote = "“The quotas for next year will not be cut any further,” "
    lead = "Ana Duarte toured the harbour at Peniche on Monday.\n"
    assert [q.speaker for q in extract_quotes(quote + source)] == [alone]
    assert [q.speaker for q in extract_quotes(lead + quote + source)] == [in_view]


@pytest.mark.parametrize("aside", [
    "the chair of Portugal’s fisheries council",
    "Mr. Hale's deputy at the harbour board",
    "the head of the dock workers' union",
])
def test_an_apostrophe_in_the_aside_after_a_quote_is_no_quotation_mark(aside):
    text = f"“They expect us to know all of this already,” Terrie Rizzo, {aside}, said on Monday."
    assert [q.speaker for q in extract_quotes(text)] == ["Terrie Rizzo"]


@pytest.mark.parametrize("last", ["at all", "for them all", "for both", "for some"])
def test_a_quotes_last_word_is_no_determiner_of_the_verb_after_it(last):
    """'“...,” said Hale' after a quote ending in "all" or "both": the verb is a cue (only a
    determiner in the same phrase, "the states", makes it a noun)."""
    text = f"“The harbour board does not care about the night shift {last},” said Mr. Meyer."
    assert [q.speaker for q in extract_quotes(text)] == ["Meyer"]


@pytest.mark.parametrize("text, speaker", [
    ("The Federated States has built too few piers for the ferries of the northern islands, Hale said.",
     "Hale"),
    ("Since March, Hale has argued that the Northern States are losing their ferries to the south.",
     "Hale"),
])
def test_a_capitalised_word_inside_a_name_is_no_speech_verb(text, speaker):
    """"States" in "the Federated States": a word of a name (a capitalised word right before
    it), never the verb "states"."""
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize("source, speaker", [
    ("Mr. Daniloff, now 81 and retired in Salem, Ore., said by telephone.", "Daniloff"),
    ("Tom B. Hale Jr., the director of the harbour board, said.", "Tom B. Hale Jr"),
    ("Rita Moss, 67, a retired nurse in Allentown, Pa., said in an interview.", "Rita Moss"),
    ("Ohio delegate Bill Eastland, wearing a cowboy hat and campaign pins, said.", "Bill Eastland"),
])
def test_an_aside_after_a_quote_may_end_in_an_abbreviation_or_follow_a_description(source, speaker):
    text = f"“We have had far more successful meetings than this one in past years,” {source}"
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("The hearing was so calm that Mr. Hale was prompted to say, “So far, I cannot believe how "
     "civil it has been up here.”", "Hale"),
    ("Ana Ruiz joked that the ferry was late again, but went on to say, “There are places on this "
     "coast that nobody has visited in years.”", "Ana Ruiz"),
    ("As Tom Hale, professor of law at the harbour college, put it, “The board should remember "
     "that a compromise today may be far better than a fight.”", "Tom Hale"),
])
def test_to_say_and_put_it_have_the_subject_written_before_them(text, speaker):
    assert [q.speaker for q in extract_quotes(text) if q.kind != "reported"] == [speaker]


def test_the_sentence_subject_is_read_past_its_description_and_days_and_nicknames_are_no_names():
    text = ("Republican harbour commissioner Dana Whitfield took to the radio, saying: “The night "
            "shift will stay until the end of the year.”")
    assert [q.speaker for q in extract_quotes(text) if q.kind != "reported"] == ["Dana Whitfield"]
    # a hyphenated nickname is no full name of the surname in it
    text = ("Critics call him Hypo-Hale. Asked about the ferry, Hale said: “I do not believe that "
            "is a good idea at all.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Hale"]
    from app.pipeline.name_runs import person_like
    assert not person_like("Asked Tuesday", 2) and person_like("Dana Whitfield", 2)


@pytest.mark.parametrize("text", [
    "The board met. Having announced that the pier would close, Judge Tom Berman left the room early.",
    "The board met. Hours later, the ferry left the harbour, confirming that the pier had closed.",
    "The board met. Speaking to nobody in particular, the ferry captain left, saying that the pier closed.",
])
def test_a_participle_or_time_word_opening_the_sentence_is_no_speaker(text):
    assert all(q.speaker not in ("Having", "Hours", "Speaking") for q in extract_quotes(text))


def test_a_first_name_opening_a_sentence_still_names_the_person():
    text = ("Sterling Hale runs the harbour board. Sterling said that the pier would close before "
            "the summer season.")
    assert [q.speaker for q in extract_quotes(text)] == ["Sterling Hale"]


@pytest.mark.parametrize("dateline", ["Port Ellen (AFP) \u2013 ", "Port Ellen, Islay (Reuters) - ",
                                      "PORT ELLEN (AP) \u2014 "])
def test_a_dateline_in_title_case_is_no_subject(dateline):
    text = (f"{dateline}Mayor Ana Ruiz on Monday toured the harbour with the pilots, criticising "
            "Tom Hale as careless and accusing him of endangering the ferries.")
    assert [q.speaker for q in extract_quotes(text) if q.speaker] == ["Ana Ruiz"]


@pytest.mark.parametrize("opener", ["Hours later", "Two days earlier", "Moments after the vote"])
def test_a_time_opening_the_sentence_is_read_past_to_the_subject(opener):
    text = (f"The board met on Monday. {opener}, Tom Hale left the harbour office, telling reporters "
            "that the pier would close for good.")
    assert [q.speaker for q in extract_quotes(text)] == ["Tom Hale"]


@pytest.mark.parametrize("text, speaker", [
    # a party member of a place is the person in view, not a speaker named by those words
    ("Senate leader Ana Ruiz vowed on Tuesday to bring the harbour bill back. “We will give them "
     "another chance to do the right thing,” the Dorset Democrat told reporters.", "Ana Ruiz"),
    ("Speaker Tom Hale's office did not respond to a request for comment. But the Kent Republican "
     "has said the House will not take up the harbour bill.", "Tom Hale"),
])
def test_a_party_member_of_a_place_is_the_person_in_view(text, speaker):
    assert [q.speaker for q in extract_quotes(text)][-1] == speaker


def test_the_subject_inside_a_report_does_not_take_the_focus():
    # Hale is only the subject of what Ruiz said: the "she" after it is still Ruiz
    text = ("Ana Ruiz said in the interview that the onus was on Tom Hale to show that he could "
            "lead the harbour board. “I think the board needs a leader who listens,” she said.")
    assert [q.speaker for q in extract_quotes(text)][-1] == "Ana Ruiz"


@pytest.mark.parametrize("text, speaker", [
    # a local office: the sheriff introduced by name, the office a body of its own
    ("Sheriff Dana Pruitt said deputies pulled three people from the lake. “The water was rough "
     "and cold, and they did everything they could,” the sheriff said.", "Dana Pruitt"),
    ("The Marrow County Sheriff's Office said the boat overturned in high winds.",
     "Marrow County Sheriff's Office"),
    # a role opening the aside of a name: the name speaks, not the role's words
    ("“We are gearing up,” said Dana Pruitt, the Harbour Chamber's chief strategist, who added "
     "that the group would spend more on local races.", "Dana Pruitt"),
])
def test_local_offices_and_roles_in_a_names_aside(text, speaker):
    assert [q.speaker for q in extract_quotes(text)][-1] == speaker


@pytest.mark.parametrize("office", ["No 10", "No. 10"])
def test_a_numbered_office_speaks_with_or_without_its_full_stop(office):
    text = f"“Talks will resume in the spring,” a {office} spokeswoman said."
    [q] = extract_quotes(text)
    assert q.speaker == f"{office} spokeswoman"


def test_the_us_president_is_the_one_introduced_with_those_initials():
    text = ("French President Luc Moreau met U.S. President Ana Ruiz on Monday.\n"
            "“We will act,” the U.S. president said.")
    [q] = extract_quotes(text)
    assert q.speaker == "Ana Ruiz"
