"""Cross-source alignment: statuses with their rules, copies never corroborate, different facts stay apart;
and the seed story's dossier as a reader of the five texts would check it."""
import re

import pytest

from newsweave import Newsweave
from newsweave.align import Source, build_dossier
from newsweave.dossier import outlet_label
from newsweave.facts import FactExtractor
from newsweave.records import Article


@pytest.fixture(scope="module")
def fx():
    return FactExtractor()


def dossier_of(fx, texts, roots=None):
    articles = [Article(id=f"a{i}", source=f"outlet{i}.txt", kind="text", raw=t, text=t) for i, t in enumerate(texts)]
    roots = roots or {a.id: a.id for a in articles}
    sources = {a.id: Source(a, roots[a.id], f"outlet{a.id[1:]}") for a in articles}
    return build_dossier(sources, [fx.extract(a.id, a.text, "2024-05-10") for a in articles])


def fact_about(dossier, counted):
    found = [f for f in dossier["facts"] if f.get("counted") == counted]
    assert len(found) == 1, [f["statement"] for f in dossier["facts"]]
    return found[0]


def test_same_figure_is_agreed(fx):
    d = dossier_of(fx, ["The flood killed 12 people in the valley on Monday.",
                        "Officials said 12 people were killed when the river flooded the valley."])
    fact = fact_about(d, "killed")
    assert fact["status"] == "agreed" and len(fact["sources"]) == 2


def test_compatible_qualifiers_make_a_range(fx):
    d = dossier_of(fx, ["Up to 15,000 troops were sent to the border region.",
                        "Roughly 14,000 troops were sent to the border region.",
                        "About 15,000 troops were sent to the border region, officials said."])
    fact = fact_about(d, "troop")
    assert fact["status"] == "range" and "14,000" in fact["rule"] and "15,000" in fact["rule"]


def test_incompatible_figures_conflict_and_name_both(fx):
    d = dossier_of(fx, ["Casualty estimates for the troops in the war range between 3,000 and 4,000 killed and wounded.",
                        "Casualty estimates for the troops in the war cite over 6,000 killed or wounded."])
    fact = fact_about(d, "killed or wounded")
    assert fact["status"] == "conflict"
    assert "between 3,000 and 4,000" in fact["rule"] and "over 6,000" in fact["rule"]
    evidence = {e["article_id"] for v in fact["variants"] for e in v["evidence"]}
    assert evidence == {"a0", "a1"}


def test_a_copy_cannot_contradict_its_original(fx):
    texts = ["The flood killed 12 people in the valley on Monday.", "The flood killed 14 people in the valley on Monday."]
    d = dossier_of(fx, texts, roots={"a0": "a0", "a1": "a0"})
    killed = [f for f in d["facts"] if f.get("counted") == "killed"]
    assert killed and all(f["status"] == "single" and f["sources"] == ["a0"] for f in killed)


def test_different_quantities_are_not_merged(fx):
    d = dossier_of(fx, ["The engineers cleared the minefield in a matter of less than three months, he said.",
                        "The regiment returned home after a 120-day deployment abroad."])
    durations = [f for f in d["facts"] if f.get("counted") == "day"]
    assert len(durations) == 2 and all(f["status"] == "single" for f in durations)
    assert not any(f["status"] == "conflict" for f in d["facts"])


def test_same_quote_different_speakers_is_a_conflict(fx):
    d = dossier_of(fx, ["“We will rebuild every house in this town,” Mayor Anna Berg said on Monday.",
                        "“We will rebuild every house in this town,” Governor Tom Reyes said on Monday."])
    quotes = [f for f in d["facts"] if f["kind"] == "quote"]
    assert len(quotes) == 1 and quotes[0]["status"] == "conflict"


def test_an_organisation_and_its_director_do_not_contradict(fx):
    d = dossier_of(fx, ["“A bomber blew himself up near the bakery in the city centre,” said Rami Abdel Rahman, "
                        "head of the Syrian Observatory for Human Rights.",
                        "“A bomber blew himself up near the bakery in the city centre,” the Syrian Observatory for "
                        "Human Rights said.",
                        "“A bomber blew himself up near the bakery in the city centre,” said Abdel Rahman."])
    quotes = [f for f in d["facts"] if f["kind"] == "quote"]
    assert len(quotes) == 1 and quotes[0]["status"] == "agreed" and len(quotes[0]["sources"]) == 3


def test_one_name_spelled_two_ways_does_not_contradict(fx):
    d = dossier_of(fx, ["“The convoy was hit twice at the entrance of the village,” said Ahmed Hezballah.",
                        "“The convoy was hit twice at the entrance of the village,” said Ahmed Hezbollah."])
    quotes = [f for f in d["facts"] if f["kind"] == "quote"]
    assert len(quotes) == 1 and quotes[0]["status"] == "agreed"


def test_claims_sharing_stock_words_stay_apart(fx):
    d = dossier_of(fx, ["The Observatory said that 31 people were killed and more than 60 were wounded in the town.",
                        "The United Nations says the war has killed more than 220000 people and wounded at least 1 million.",
                        "The committees said 27 people were killed and many others were wounded in the town."])
    claims = [f for f in d["facts"] if f["kind"] == "claim"]
    assert len(claims) == 3 and not any(f["status"] == "conflict" for f in claims)


def test_seed_story_dossier(seeds, db):
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        d = nw.dossier(story.id)
        articles = {a.id: a for a in nw.articles(story.id)}
    facts = d["facts"]

    def one(pred):
        found = [f for f in facts if pred(f)]
        assert len(found) == 1, [f["statement"] for f in found]
        return found[0]

    dead = one(lambda f: f.get("counted") == "killed" and any(v["value"] == 9 for v in f["variants"]))
    assert dead["status"] == "agreed" and len(dead["sources"]) == 4
    troops = one(lambda f: f.get("counted") == "troop" and any(v["high"] >= 15000 for v in f["variants"]))
    assert troops["status"] == "range" and "14,000" in troops["rule"] and "15,000" in troops["rule"]
    casualties = one(lambda f: f.get("counted") == "killed or wounded")
    assert casualties["status"] == "conflict" and len(casualties["sources"]) == 2
    texts = {v["text"] for v in casualties["variants"]}
    assert texts == {"between 3,000 and 4,000", "over 6,000"}  # "at least hundreds killed" is not counted here
    days = one(lambda f: f.get("counted") == "day" and any(v["value"] == 120 for v in f["variants"]))
    assert days["status"] == "agreed" and len(days["sources"]) >= 3
    assert not any(f["status"] == "conflict" for f in facts if f.get("counted") == "day")
    regiment = one(lambda f: f["kind"] == "entity" and "528th" in f["statement"])
    assert regiment["status"] == "agreed" and len(regiment["sources"]) == 4
    # the unit's medal, tagged a law by the tagger in some texts and an organisation in others, is one fact
    medal = one(lambda f: f["kind"] == "entity" and "Order of Freedom and Independence" in f["statement"])
    assert medal["status"] == "agreed" and len(medal["sources"]) >= 3
    miracle = [q for q in d["quotes"] if "miracle" in q["text"]]
    # three independent sources have these words (the two copies of one article count once; the fifth
    # article does not quote the speech)
    assert len({q["statement"] for q in miracle}) == 1 and len(miracle[0]["statement_sources"]) == 3
    assert sum("miracle" in a.text for a in articles.values()) == 4
    assert all(q["speaker"].startswith("Kim Jong") for q in miracle)
    for q in d["quotes"]:  # each article is credited only with words it has
        for aid in q["article_ids"]:
            own = set(re.findall(r"\w+", articles[aid].text.lower()))
            assert set(re.findall(r"\w+", q["text"].lower())) <= own, (aid, q["text"])
    hong = [q for q in d["quotes"] if "role as an ally" in q["text"]]
    assert hong and hong[0]["speaker"] == "Hong Min"
    dated = {(t["date"], t["event"]) for t in d["timeline"]}
    assert ("2025-12-12", "hold") in dated and ("2025-12-13", "report") in dated
    assert any(t["date"] == "2025-08" and len(t["sources"]) >= 3 for t in d["timeline"])
    assert 3 <= len(d["summary"]) <= 7 and all(s["article_ids"] for s in d["summary"])
    for fact in facts:  # evidence offsets point at the variant's words (a quote's fragments, in order)
        for v in fact["variants"]:
            pieces = [articles[e["article_id"]].text[e["start"]:e["end"]] for e in v["evidence"]]
            if fact["kind"] in ("quote", "claim"):
                assert " … ".join(p.strip("“”\"‘’' ") for p in pieces).lower() == v["text"].lower()
            elif fact["kind"] != "entity":
                assert all(p.lower() == v["text"].lower() for p in pieces)
    assert set(d["coverage"]) == {outlet_label(a) for a in articles.values()}  # the aggregator named
    assert any(a.outlet and label == a.outlet for a in articles.values() for label in d["coverage"])


def test_a_pronoun_guess_does_not_accuse_a_source(fx):
    d = dossier_of(fx, ["Observatory head Rami Abdel Rahman said the market was hit. Bashar Karim runs the town. "
                        "“At least 11 people were killed including two children,” he said.",
                        "Observatory head Rami Abdel Rahman said the market was hit. "
                        "“At least 11 people were killed including two children,” he said."])
    quotes = [f for f in d["facts"] if f["kind"] == "quote"]
    assert quotes and not any(f["status"] == "conflict" for f in quotes)


def test_parts_of_different_tolls_are_not_a_second_conflict(fx):
    d = dossier_of(fx, ["An airstrike on the market killed 18 people including five children on Saturday.",
                        "An airstrike on the market killed 15 people including four children on Saturday."])
    assert [f["status"] for f in d["facts"] if f.get("counted") == "killed"] == ["conflict"]
    parts = [f for f in d["facts"] if f.get("counted") == "killed (among them)"]
    assert parts and not any(f["status"] == "conflict" for f in parts)


def test_the_part_of_an_open_toll_is_open(fx):
    d = dossier_of(fx, ["Rebel shelling of the western districts has killed at least 21 civilians including two children.",
                        "Rebel shelling of the western districts has killed 38 civilians including 14 children."])
    parts = [f for f in d["facts"] if f.get("counted") == "killed (among them)"]
    assert len(parts) == 1 and parts[0]["status"] == "range"


def test_one_voice_giving_two_figures_is_not_a_disagreement(fx):
    d = dossier_of(fx, ["An air strike on the market killed 15 people, the Syrian Observatory for Human Rights said.",
                        "An air strike on the market killed 18 people, the Syrian Observatory for Human Rights said."])
    assert not any(f["status"] == "conflict" for f in d["facts"])
    d = dossier_of(fx, ["An air strike on the market killed 15 people, the Syrian Observatory for Human Rights said.",
                        "An air strike on the market killed 18 people, the Local Coordination Committees said."])
    assert [f["status"] for f in d["facts"] if f.get("counted") == "killed"] == ["conflict"]


@pytest.mark.parametrize("texts", [
    pytest.param(["The regiment lost nine soldiers killed in action.",
                  "At least hundreds of troops are believed to have been killed in the war."],
                 id="far-apart magnitudes are different facts"),
    pytest.param(["About 45 buses carrying 3000 people left Foua and Kefraya for the city.",
                  "Another 11 buses carrying some 500 people left Madaya and Zabadani for the province."],
                 id="rival counts of other things need the same context"),
    pytest.param(["Scores of civilians were killed on Saturday after regime air strikes hit the city.",
                  "The regime air strikes on the city have killed 122 civilians, he said."],
                 id="a vague word is no figure to contradict"),
])
def test_no_false_conflict(fx, texts):
    d = dossier_of(fx, texts)
    assert not any(f["status"] == "conflict" for f in d["facts"]), [f["statement"] for f in d["facts"]]


def test_summary_sentences_carry_no_dateline_or_heading(seeds, db):
    """The seed articles open "Pyongyang, North Korea – December 14, 2025 : ..." and run a subheading into
    a sentence; the summary quotes the sentences alone, and each one's evidence is exactly its text."""
    from newsweave.align.summary import dateline

    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        summary = nw.dossier(story.id)["summary"]
        texts = {a.id: a.text for a in nw.articles(story.id)}
    assert len(summary) >= 3
    for sentence in summary:
        assert not dateline(sentence["text"]) and "\n" not in sentence["text"]
        assert next(c for c in sentence["text"] if c.isalpha()).isupper()
        e = sentence["evidence"][0]
        assert texts[e["article_id"]][e["start"]:e["end"]].strip() == sentence["text"]
    assert any("nine" in s["text"] for s in summary)  # the dead are in it


def test_summary_leads_with_the_key_figures_and_reads_a_disagreement_from_both_sides(seeds, db):
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        d = nw.dossier(story.id)
    casualties = next(f for f in d["facts"] if f.get("key") and f["status"] == "conflict")
    lead = d["summary"][:2]
    assert all(casualties["id"] in s["facts"] for s in lead)
    assert {"3,000" in lead[0]["text"] + lead[1]["text"], "6,000" in lead[0]["text"] + lead[1]["text"]} == {True}
    told = [s for s in d["summary"] if casualties["id"] in s["facts"]]
    assert len(told) == 2  # each figure once: the toll is not told again


@pytest.mark.parametrize("opening, line", [
    ("Pyongyang, North Korea – December 14, 2025 : North Korea said.", "Pyongyang, North Korea – December 14, 2025 : "),
    ("SEOUL (Reuters) - The army said.", "SEOUL (Reuters) - "),
    ("NEW YORK — The mayor said.", "NEW YORK — "),
    ("Kim Jong-un – the leader – said it.", ""),
    ("US officials – speaking anonymously – said it.", ""),
])
def test_datelines_are_told_from_names_before_a_dash(opening, line):
    from newsweave.align.summary import dateline

    assert dateline(opening) == line


def test_summary_leaves_out_headlines_dates_and_staff_lines_of_crawled_wire_copy(tmp_path):
    """FA-KES texts are crawls: a headline and its date run into the first sentence, and wire copy ends with
    "Additional reporting by ...; Editing by ...". The summary holds the report's sentences only."""
    from importlib import resources

    from newsweave.align.summary import LEADING_DATE, STAFF_LINE

    sample = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
    with Newsweave(tmp_path / "f.db") as nw:
        nw.ingest([str(sample)])
        stories = sorted(nw.stories(), key=lambda s: -len(s.article_ids))[:6]
        titles = [a.title.lower() for s in stories for a in nw.articles(s.id) if a.title]
        texts = {a.id: a.text for a in nw.articles()}
        summaries = [nw.dossier(s.id)["summary"] for s in stories]
    sentences = [s for summary in summaries for s in summary]
    assert len(sentences) >= 20
    for s in sentences:
        assert not LEADING_DATE.match(s["text"]) and not STAFF_LINE.search(s["text"]), s["text"]
        assert not any(s["text"].lower().startswith(t) for t in titles if len(t.split()) >= 5), s["text"]
        e = s["evidence"][0]
        assert texts[e["article_id"]][e["start"]:e["end"]].strip() == s["text"]


@pytest.mark.parametrize("opening", ["Reuters Monday 31 Oct 2016 ", "Date of publication 4 April 2017 ",
                                     "AFP Tuesday 5 Jul 2016 "])
def test_a_wire_or_label_with_its_date_opens_no_summary_sentence(opening):
    from newsweave.align.summary import LEADING_DATE

    assert LEADING_DATE.match(opening + "Air strikes hit the town.").group(0) == opening
    assert not LEADING_DATE.match("May 5 2016 was the day the strikes began.")


def test_a_subheading_in_capitals_run_into_a_sentence_is_cut():
    from newsweave.align.summary import _heading

    assert _heading("SLEEPING DEAD Opposition activists cited death tolls of about 500.", []) == len("SLEEPING DEAD ")
    assert _heading("US and UK forces launched strikes on Monday.", []) == 0


def test_one_outlets_page_chrome_is_not_vouched_for_by_its_other_article(fx):
    """Two articles of one outlet (not copies) end with the same "follow us" line: one outlet, not two
    sources, so it is no summary sentence; what two outlets report is."""
    chrome = "Follow Example Daily on social media and never miss the latest breaking news from our newsroom."
    texts = ["A fire destroyed the old textile mill in Riverton on Monday night, the fire brigade said. " + chrome,
             "Firefighters fought for six hours to stop the flames spreading from the mill to nearby houses. " + chrome,
             "The old textile mill in Riverton burned down on Monday night, according to the fire brigade."]
    outlets = ["Example Daily", "Example Daily", "Riverton Herald"]
    articles = [Article(id=f"a{i}", source=f"p{i}.txt", kind="text", raw=t, text=t, outlet=o)
                for i, (t, o) in enumerate(zip(texts, outlets))]
    sources = {a.id: Source(a, a.id, a.outlet) for a in articles}
    summary = build_dossier(sources, [fx.extract(a.id, a.text, "2024-05-10") for a in articles])["summary"]
    assert summary and not any("Follow Example Daily" in s["text"] for s in summary), summary
    assert "textile mill" in summary[0]["text"]


def test_timeline_says_what_happened_and_keeps_old_dates_apart(seeds, db):
    """Events are labelled in the sources' words ("ceremony held", not "hold"); a date over a year before
    the first report (an outlet's founding, an old treaty) is background, left off the chart."""
    from newsweave.web.views import timeline_chart

    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        timeline = nw.dossier(story.id)["timeline"]
    ceremony = next(t for t in timeline if t["date"] == "2025-12-12" and len(t["sources"]) >= 3)
    assert "ceremony" in ceremony["label"] and "held" in ceremony["label"]
    assert all(t["label"] for t in timeline)
    old = [t for t in timeline if t["background"]]
    assert old and all(t["date"] < "2024-12-13" for t in old)
    assert not any(t["background"] for t in timeline if t["date"] >= "2025-01")
    chart = timeline_chart(timeline)
    assert {p["date"] for p in chart["points"]} == {t["date"] for t in timeline if not t["background"]}
    assert chart["ticks"][0]["date"].startswith(chart["points"][0]["date"][:4]) and len(chart["ticks"]) >= 2


@pytest.mark.parametrize("short, name, same", [
    ("KCNA", "Korean Central News Agency", True), ("KPA", "Korean People’s Army", True),
    ("U.N.", "United Nations", True), ("BOA", "Bank of America", True),
    ("UNICEF", "United Nations", False), ("UN", "Trumps National Security Council", False),
    ("Kim", "Korean Intelligence Ministry", False), ("US", "Ukraine", False),
])
def test_initials_are_told_from_names(short, name, same):
    from newsweave.align.events import is_acronym_of

    assert is_acronym_of(short, name) == same


@pytest.mark.parametrize("a, b, same", [
    ("United Nations", "United Nations International Childrens Emergency Fund", False),
    ("Syrian Army", "Free Syrian Army", False), ("Security Council", "Norwegian Refugee Council", False),
    ("528th Regiment", "528th Regiment of Engineers", True), ("the Korean People's Army", "Korean People’s Army", True),
    ("Syrian Observatory", "Syrian Observatory for Human Rights", True), ("KCNA", "Korean Central News Agency", True),
    ("UNICEF", "United Nations International Childrens Emergency Fund", True), ("Al-Nusra", "al-Nusra Front", True),
])
def test_names_of_one_organisation_are_told_from_names_that_contain_them(a, b, same):
    from newsweave.align.events import same_organisation

    assert same_organisation(a, b) == same and same_organisation(b, a) == same


def test_an_acronym_and_its_full_name_are_one_entity(seeds, db):
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        facts = nw.dossier(story.id)["facts"]
        texts = {a.id: a.text for a in nw.articles(story.id)}
    entities = [f for f in facts if f["kind"] == "entity"]
    for full, short in (("Korean Central News Agency", "KCNA"), ("Korean People’s Army", "KPA")):
        [fact] = [f for f in entities if full in f["statement"] or f["statement"] == short]
        said = {texts[e["article_id"]][e["start"]:e["end"]] for v in fact["variants"] for e in v["evidence"]}
        assert short in said and any(full in s for s in said) and fact["statement"].endswith(full)


def test_no_two_facts_of_the_seed_story_say_the_same(seeds, db):
    """The two copies of the New York Times article give the same claims: one source, one fact each."""
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        [story] = nw.stories()
        facts = nw.dossier(story.id)["facts"]
    statements = [(f["kind"], f["statement"]) for f in facts]
    assert len(statements) == len(set(statements)), sorted(s for s in statements if statements.count(s) > 1)
    dated = [f["statement"] for f in facts if f["kind"] == "date"]
    assert "ceremony held on 2025-12-12" in dated  # what happened, not a bare verb
    # nor does a claim hold another of the same article: "their sons' portraits in tears" is part of a longer one
    said = [f for f in facts if f["kind"] in ("claim", "quote") and f["status"] == "single"]
    spans = [{(e["article_id"], e["start"], e["end"]) for v in f["variants"] for e in v["evidence"]} for f in said]
    for i, small in enumerate(spans):
        for j, big in enumerate(spans):
            if i != j and small != big:
                assert not all(any(a == b_a and s >= b_s and e <= b_e for b_a, b_s, b_e in big) for a, s, e in small), \
                    (said[i]["statement"], said[j]["statement"])


def test_facts_with_one_source_come_in_the_order_of_what_the_story_is_about(fx):
    """Among single-source facts, one told in the words the sources share comes before an aside."""
    d = dossier_of(fx, [
        "The weather in the capital was mild and sunny, a tourism office spokesman said. "
        "The ferry capsized near the harbour on Monday with 80 passengers aboard, the coast guard said. "
        "Rescue boats searched the harbour through the night.",
        "A ferry carrying 80 passengers capsized near the harbour on Monday. Rescue boats searched the waters "
        "until dawn. The ferry operator said the vessel had passed an inspection in March.",
        "Rescue boats kept searching the harbour after the ferry capsized with 80 passengers on Monday."])
    singles = [f["statement"] for f in d["facts"] if f["status"] == "single" and f["kind"] == "claim"]
    ferry = next(i for i, s in enumerate(singles) if "capsized" in s)
    weather = next(i for i, s in enumerate(singles) if "weather" in s)
    assert ferry < weather, singles
