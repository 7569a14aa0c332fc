"""Per-article extraction: quantities, dates, entities and quotes, with their traps, and exact offsets."""
import pytest

from newsweave.facts import FactExtractor, same_name


@pytest.fixture(scope="module")
def fx():
    return FactExtractor()


def quantities(fx, text):
    return fx.extract("a", text, "2025-12-13").quantities


@pytest.mark.parametrize("text, surface, qualifier, low, high, counted", [
    ("Earlier, up to 15,000 North Korean troops fought there.", "up to 15,000", "up to", 0, 15000, "troop"),
    ("Estimates range between 3,000 and 4,000, including both killed and wounded.", "between 3,000 and 4,000",
     "range", 3000, 4000, "killed or wounded"),
    ("Some estimates cite over 6,000 killed or wounded.", "over 6,000", "over", 6001, float("inf"), "killed or wounded"),
    ("2 Killed 10 Injured in Shelling on Residential Neighborhood", "10", "exact", 10, 10, "wounded"),
    ("The monitor reported that five of the dead were children.", "five", "exact", 5, 5, "killed (among them)"),
    ("At least 40 people were killed. It added that 24 other people were killed.", "24", "exact", 24, 24,
     "killed (among them)"),
    ("The attack killed more than 100 people including 25 children and 15 women and injured 400 others.", "400", "exact", 400, 400, "wounded"),  # noqa: E501
    ("The monitor raised its toll to 126, updating a previous toll of 112 dead.", "112", "exact", 112, 112,
     "killed (superseded)"),
    ("The conflict in Syria which has lasted five years has killed more than 280000 people.", "more than 280000",
     "over", 280001, float("inf"), "killed (over a period)"),
    ("Three civilians were killed and 12 others were injured on Saturday.", "12", "exact", 12, 12, "wounded"),
    ("The regiment honoured nine killed in action.", "nine", "exact", 9, 9, "killed"),
    ("One hundred and twenty days have passed since then.", "One hundred and twenty days", "exact", 120, 120, "day"),
    ("It was a 120-day deployment.", "120-day", "exact", 120, 120, "day"),
    ("The task took less than three months.", "less than three months", "less than", 0, 90, "day"),
    ("Roughly 14,000 soldiers were deployed.", "Roughly 14,000", "about", 12600, 15400, "troop"),
])
def test_quantity_value_qualifier_and_counted_thing(fx, text, surface, qualifier, low, high, counted):
    found = [q for q in quantities(fx, text) if q.text == surface]
    assert found, [q.text for q in quantities(fx, text)]
    q = found[0]
    assert (q.qualifier, q.counted) == (qualifier, counted)
    assert q.low == pytest.approx(low, rel=1e-6) and q.high == pytest.approx(high, rel=1e-6)


def test_killed_and_wounded_figures_stay_apart(fx):
    found = {q.text: q.counted for q in quantities(fx, "The blast killed 12 people and wounded 30 others.")}
    assert found == {"12": "killed", "30": "wounded"}


def test_numbers_that_are_not_counts(fx):
    text = ("The 528th Regiment returned on December 12, 2025, turning danger into a safe one. "
            "In 2024 the F-16 jets flew at 10:30.")
    assert quantities(fx, text) == []


@pytest.mark.parametrize("phrase, date, granularity", [
    ("on Friday", "2025-12-12", "day"),
    ("on Saturday", "2025-12-13", "day"),  # the publication day itself
    ("in July", "2025-07", "month"),
    ("in early August", "2025-08", "month"),
    ("in June last year", "2024-06", "month"),
    ("on December 12", "2025-12-12", "day"),
    ("on 3 March 2021", "2021-03-03", "day"),
    ("last year", "2024", "year"),
])
def test_dates_resolved_against_publication(fx, phrase, date, granularity):
    facts = fx.extract("a", f"The ceremony was held {phrase} in the capital.", "2025-12-13")
    assert [(d.date, d.granularity) for d in facts.dates] == [(date, granularity)]


def test_relative_dates_need_a_base(fx):
    facts = fx.extract("a", "The ceremony was held on Friday, officials said.", None)
    assert facts.dates == []


def test_names_resolve_within_an_article(fx):
    text = ("North Korea's leader, Kim Jong-un, welcomed the soldiers. Mr. Kim thanked the troops. "
            "Later Kim spoke again.")
    people = {e.text: e.entity for e in fx.extract("a", text, None).entities if e.label == "PERSON"}
    assert set(people.values()) == {"Kim Jong-un"}
    assert same_name("Kim Jong-un", "Kim Jong Un") and same_name("Mr. Kim", "Kim Jong Un")
    assert not same_name("Kim Jong Un", "Moon Jae-in")


def test_quote_speakers(fx):
    text = ("North Korean leader Kim Jong Un spoke at the ceremony. “We will never forget this sacrifice of yours,” "
            "Mr. Kim said. He praised them, saying, “You could work a miracle in a matter of months.” "
            "Hong Min, a senior analyst at a Seoul institute, said the North wants Russia to “continue to play "
            "its role as an ally.” “The talks have stalled for good,” the minister said, according to Yonhap.")
    found = fx.extract("a", text, None).quotes
    quotes = {q.text.strip(" ,."): q for q in found if q.direct}
    assert quotes["We will never forget this sacrifice of yours"].speaker == "Kim Jong Un"
    assert quotes["You could work a miracle in a matter of months"].speaker == "Kim Jong Un"
    assert quotes["The talks have stalled for good"].channel == "Yonhap"
    # a partial quote is part of what Hong Min said: the content is the whole clause, the quoted words verbatim
    [mixed] = [q for q in found if "continue to play" in q.text and q.speaker == "Hong Min"]
    assert not mixed.direct and mixed.text.startswith("the North wants Russia")
    assert [text[a:b] for a, b in mixed.verbatim] == ["“continue to play its role as an ally.”"]


def test_unbalanced_quotes_do_not_break_extraction(fx):
    facts = fx.extract("a", "He said “this never ends. And 5 people were killed \" on Monday.", "2025-01-08")
    assert [q.text for q in facts.quantities] == ["5"]


def test_every_offset_points_at_its_text(fx, seeds):
    from newsweave.clean import Cleaner
    from newsweave.ingest import read_inputs

    cleaner = Cleaner()
    checked = 0
    for doc in read_inputs([seeds], 10**8):
        article = cleaner.clean_one(doc)
        facts = fx.extract(article.id, article.text, "2025-12-13")
        for item in facts.entities + facts.quantities + facts.dates:
            assert article.text[item.start:item.end] == item.text
            checked += 1
        for q in facts.quotes:  # a quote's fragments, outer quotation marks left out, make its text
            pieces = [article.text[a:b].strip("“”\"‘’' ") for a, b in q.fragments]
            assert " … ".join(p for p in pieces if p) == q.text and q.fragments[0][0] == q.start
            checked += 1
    assert checked > 100


def test_ages_in_months_and_weeks_are_not_counts(fx):
    f = fx.extract("a", "She sat with her six-month-old son and a 3 week old baby when 40 people died.", "2017-04-15")
    assert [q.text for q in f.quantities] == ["40"]


def test_an_organisation_named_after_an_outcome_verb_is_no_victim(fx):
    """Flattened text runs a clause into its source: "... dead and wounded the Syrian Observatory for Human
    Rights told AFP". The observatory was not wounded; a person named after the verb still counts."""
    f = fx.extract("a", "Regime forces pounded the eastern Ghouta zones with rocket launchers causing several dozen "
                        "dead and wounded the Syrian Observatory for Human Rights told AFP news agency.", "2013-08-21")
    assert not [q for q in f.quantities if "Observatory" in q.text], f.quantities
    f = fx.extract("b", "A gunman shot and wounded Marcus Reed outside a store on Main Street, police said.", "2016-05-01")
    assert [q for q in f.quantities if q.counted == "wounded" and q.value == 1 and "Reed" in q.text], f.quantities


@pytest.mark.parametrize("text, is_list", [
    ("Tags Syria Idlib gas attack chlorine Observatory Assad Warplanes carried out a suspected toxic gas attack.", True),
    ("Thu Jul 7 2016 Hezbollah Syrian Army Kill 2 Al-Nusra Front Commanders in Qalamoun.", True),
    ("Pyongyang, North Korea – North Korean leader Kim Jong Un publicly welcomed soldiers of the army.", False),
    ("North Korean leader Kim Jong Un welcomed home specialized soldiers this week.", False),
])
def test_a_list_run_into_a_sentence_is_told_from_prose(fx, text, is_list):
    """Tags or headlines a crawl ran into the next sentence reach no verb or function word in eight words;
    prose, and a dateline before it, do."""
    f = fx.extract("a", text, "2016-07-07")
    assert bool(f.lists) == is_list, [t for t in fx.nlp(text)]
