"""Who said what: each attribution as one unit (content, cue, source), with the traps of news text: quotes
split by their cue, partial quotes inside reported speech, quotes over several paragraphs, odd quotation
marks, scare quotes and titles, reported speech without marks, unnamed sources, and in the dossier each
article credited only with its own words and channel."""
import pytest

from newsweave.align import Source, build_dossier
from newsweave.facts import FactExtractor
from newsweave.records import Article


@pytest.fixture(scope="module")
def fx():
    return FactExtractor()


def quotes_in(fx, text):
    return fx.extract("a", text, "2024-05-10").quotes


def pieces(text, q):
    return [text[a:b] for a, b in q.fragments]


def test_a_quote_split_by_its_cue_is_one_statement(fx):
    text = "The council met on Monday. “The plan,” Mayor Ann Lee said, “is dead and will stay dead.”"
    [q] = quotes_in(fx, text)
    assert q.direct and q.speaker == "Ann Lee" and q.cue == "said"
    assert q.text == "The plan, … is dead and will stay dead."
    assert len(q.fragments) == 2 and "Mayor" not in " ".join(pieces(text, q))


def test_a_partial_quote_is_part_of_the_whole_attributed_content(fx):
    text = ("The ministry called the test “provocative and destabilizing” and said it violated two "
            "Security Council resolutions.")
    found = quotes_in(fx, text)
    mixed = [q for q in found if "provocative" in q.text]
    assert mixed and not mixed[0].direct
    assert len(mixed[0].text.split()) > 4  # more than the quoted words
    assert [text[a:b] for a, b in mixed[0].verbatim] == ["“provocative and destabilizing”"]
    assert any("violated two Security Council resolutions" in q.text for q in found)


def test_a_quote_over_two_paragraphs_is_one_statement(fx):
    text = ("Lee spoke after the vote.\n\n“We will rebuild the bridge this year, and it will carry trucks again.\n\n"
            "“And we will pay for it without a single new tax,” Mayor Ann Lee said.")
    [q] = quotes_in(fx, text)
    assert q.speaker == "Ann Lee" and q.direct
    assert "rebuild the bridge" in q.text and "without a single new tax" in q.text


@pytest.mark.parametrize("text", [
    "''We will not back down from this fight,'' Senator Maria Ortiz said on Tuesday.",
    '"We will not back down from this fight," Senator Maria Ortiz said on Tuesday.',
    "“We will not back down from this fight,” Senator Maria Ortiz said on Tuesday.",
])
def test_quotation_marks_of_every_kind(fx, text):
    [q] = quotes_in(fx, text)
    assert q.text.strip(" ,") == "We will not back down from this fight" and q.speaker == "Maria Ortiz"


def test_an_unclosed_quote_runs_to_its_paragraph_end_and_breaks_nothing(fx):
    text = "He said “this never ends, and nobody will stop it.\n\nThe vote is on Friday."
    found = quotes_in(fx, text)
    assert all("vote is on Friday" not in q.text for q in found)


def test_scare_quotes_and_titles_are_not_speech(fx):
    text = ("Officials discussed the so-called “peace plan” on Monday. She read “Gone Girl” on the plane. "
            "The “experts” were not consulted.")
    assert [q for q in quotes_in(fx, text) if q.direct] == []


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("The Interior Ministry said that 12 people were arrested after the protest.", "Interior Ministry", "said",
     "that 12 people were arrested after the protest"),
    ("According to officials, the bridge will stay closed until March.", "officials", "According to",
     "the bridge will stay closed until March"),
    ("A spokesman for the company told reporters the plant would close next year.", "A spokesman", "told",
     "the plant would close next year"),
])
def test_reported_speech_with_its_cue_and_source(fx, text, speaker, cue, content):
    found = [q for q in quotes_in(fx, text) if q.cue == cue]
    assert found and not found[0].direct
    assert speaker in (found[0].speaker or "") and found[0].text.strip(" .") == content


def test_a_description_after_a_named_speaker_is_resolved(fx):
    text = ("Sen. Ted Cruz visited the plant in Houston on Monday. Later, the senator said that the plan "
            "would fail without federal money.")
    [q] = [q for q in quotes_in(fx, text) if "plan would fail" in q.text]
    assert q.speaker == "Ted Cruz" and q.speaker_text == "the senator"


def test_a_quote_signed_with_a_dash(fx):
    text = "“He shows no respect for anybody and never has.” ― Oscar P. Quintero\n“Next one.” ― Ana"
    found = [q for q in quotes_in(fx, text) if "respect" in q.text]
    assert found and found[0].speaker.startswith("Oscar")


def test_a_quote_introduced_by_a_colon_in_the_paragraph_before(fx):
    text = "The governor answered the question.\n\nShe said:\n\n“We have enough water for this summer and the next.”"
    found = quotes_in(fx, text)
    assert any(q.direct and q.cue == "said" and "enough water" in q.text for q in found)


def test_each_article_is_credited_with_its_own_words_and_channel(fx):
    texts = ["“We will never forget this sacrifice of yours, and the nation will honour it forever,” Kim Jong Un "
             "said, according to Yonhap.",
             "Kim Jong Un spoke at the ceremony. “We will never forget this sacrifice of yours,” Kim Jong Un said."]
    articles = [Article(id=f"a{i}", source=f"o{i}.txt", kind="text", raw=t, text=t) for i, t in enumerate(texts)]
    sources = {a.id: Source(a, a.id, f"outlet {a.id}") for a in articles}
    d = build_dossier(sources, [fx.extract(a.id, a.text, "2024-05-10") for a in articles])
    said = [q for q in d["quotes"] if "sacrifice" in q["text"]]
    assert len({q["statement"] for q in said}) == 1 and said[0]["statement_sources"] == ["a0", "a1"]
    by_article = {aid: q for q in said for aid in q["article_ids"]}
    assert "honour it forever" in by_article["a0"]["text"] and "honour" not in by_article["a1"]["text"]
    channels = {v["article_id"]: v["channel"] for q in said for v in q["variants"]}
    assert channels == {"a0": "Yonhap", "a1": None}
