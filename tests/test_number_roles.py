"""Numbers that are not counts never become figures; counts written without a figure do; the story's key
figures are marked. The traps: ages in apposition, clock times, 911, photo galleries, populations,
sub-counts against totals, "at least hundreds"."""
import math

import pytest

from newsweave.align import Source, build_dossier
from newsweave.facts import FactExtractor
from newsweave.facts.nlp import load
from newsweave.facts.quantities import number_matches
from newsweave.facts.roles import RoleModel, features
from newsweave.records import Article


@pytest.fixture(scope="module")
def fx():
    return FactExtractor()


def roles_in(text):
    doc = load()(text)
    found = list(number_matches(text))
    got = RoleModel.shipped().predict([features(doc, text, a, b) for _, a, b in found])
    return {text[a:b]: role for (_, a, b), (role, _) in zip(found, got)}


@pytest.mark.parametrize("text, figure, role", [
    ("Amari Brown, 7, was shot in the chest on the West Side.", "7", "age"),
    ("Deputies are looking for 30-year-old Christopher Sinkler.", "30", "age"),
    ("The shooting happened about 9 p.m. near the park.", "9", "time"),
    ("A neighbour called 911 after hearing the shots.", "911", "code"),
    ("Photo: Metro Video Image 8 of 8 A child was shot.", "8", "counter"),
    ("Police were called to the 1100 block of North Harding Avenue.", "1100", "address"),
    ("The suspect was held on a $250,000 bond.", "250,000", "money"),
    ("Residents of the town of 3,500 gathered for a vigil.", "3,500", "size"),
    ("Police said three people were wounded in the shooting.", "three", "count"),
])
def test_role_of_a_number(text, figure, role):
    assert roles_in(text)[figure] == role


@pytest.mark.parametrize("text", [
    "Amari Brown, 7, was shot and killed Saturday night, police said.",
    "Call 911 or Crime Stoppers at 713-222-8477 with information about the shooting that killed a man.",
    "The shooting happened around 11 p.m. Sunday and left one man dead.",
])
def test_non_counts_are_never_casualty_figures(fx, text):
    values = {q.value for q in fx.extract("a", text, "2015-07-05").quantities if q.counted and "killed" in q.counted}
    assert values <= {1.0}, values


@pytest.mark.parametrize("text, counted, value", [
    ("A 7-year-old boy was shot and killed Saturday night.", "killed", 1),
    ("A man and his son were killed in the attack.", "killed", 2),
    ("Officials say a woman killed her 30-year-old daughter and two young grandchildren.", "killed", 3),
    ("A 10-year-old girl was shot Tuesday. She is expected to recover.", "wounded", 1),
    ("Velazquez suffered a minor hand injury.", "wounded", 1),
    ("Mekko Stumblingbear was found dead in a home.", "killed", 1),
    ("No one was hurt in the blast.", "wounded", 0),
    ("Gunfire on Elm Street left a 9-year-old boy dead and his uncle wounded on Saturday.", "wounded", 1),
    ("Teen killed, cousin injured after shots hit a car in Dayton", "wounded", 1),
    ("A woman was shot dead outside a store. Her husband is in stable condition at the hospital.", "wounded", 1),
])
def test_counts_written_without_a_figure(fx, text, counted, value):
    found = [q for q in fx.extract("a", text, "2015-07-05").quantities if q.counted == counted and q.implicit]
    assert [q.value for q in found] == [value]
    q = found[0]
    assert text[q.start:q.end] == q.text


def test_one_who_died_of_wounds_is_killed_not_also_wounded(fx):
    qs = fx.extract("a", "The 20-year-old man injured in a shooting last week died from his injuries.",
                    "2015-07-05").quantities
    assert [q.counted for q in qs if q.implicit] == ["killed"]


BACKGROUND = ("A man was shot and wounded on Main Street on Monday night, police said. He is expected to recover. "
              "Officers are looking for a gray sedan.\n\nThe shooting happened near the spot of a March 2013 "
              "shooting that left a 14-year-old boy dead. Tom Reyes was shot and killed as he walked home.\n\n"
              "Anyone with information is asked to call police.")


def test_an_earlier_incident_recalled_in_the_background_is_not_the_toll(fx):
    qs = fx.extract("a", BACKGROUND, "2015-07-07").quantities
    assert {q.counted for q in qs if q.counted.startswith("killed")} == {"killed (earlier)"}
    assert any(q.counted == "wounded" for q in qs)


def test_a_follow_up_whose_lead_is_dated_early_keeps_its_toll(fx):
    text = ("A jury convicted a man on Tuesday in the March 2013 shooting that left a 14-year-old boy dead. "
            "The boy was shot and killed as he walked home.")
    qs = fx.extract("a", text, "2015-07-07").quantities
    assert {q.counted for q in qs if q.counted.startswith("killed")} == {"killed"}


def test_no_one_else_is_not_a_toll(fx):
    qs = fx.extract("a", "The teen shot himself. No one else was injured.", "2015-07-05").quantities
    assert not any(q.value == 0 for q in qs)


def test_at_least_hundreds_has_no_upper_bound_and_counts_the_killed(fx):
    [q] = fx.extract("a", "At least hundreds of North Korean troops are believed to have been killed in the war.",
                     "2025-12-13").quantities
    assert q.counted == "killed" and q.low == 200 and math.isinf(q.high)


def test_duration_keeps_its_unit(fx):
    [q] = fx.extract("a", "The regiment returned after less than three months.", "2025-12-13").quantities
    assert q.text == "less than three months" and q.counted == "day" and q.high < 90


def test_a_sub_count_in_a_list_is_not_the_toll(fx):
    qs = fx.extract("a", "Police discovered one man and two children dead inside the residence.", "2016-04-27").quantities
    killed = {q.value for q in qs if q.counted == "killed"}
    assert killed == {3.0}  # the list's sum; "one" and "two" are parts of it
    assert {q.counted for q in qs if q.value in (1.0, 2.0)} == {"killed (among them)"}


def dossier_of(fx, texts):
    articles = [Article(id=f"a{i}", source=f"outlet{i}.txt", kind="text", raw=t, text=t, published="2016-05-01")
                for i, t in enumerate(texts)]
    sources = {a.id: Source(a, a.id, f"outlet{i}") for i, a in enumerate(articles)}
    return build_dossier(sources, [fx.extract(a.id, a.text, a.published) for a in articles])


def test_named_victims_are_a_floor_not_a_rival_toll(fx):
    d = dossier_of(fx, ["A man and a woman were found dead in the home, as were three children, the sheriff said.",
                        "Five people were killed in the home on Saturday, the sheriff said."])
    killed = [f for f in d["facts"] if f.get("counted") == "killed"]
    assert killed and not any(f["status"] == "conflict" for f in killed)
    assert any(f.get("key") and any(v["value"] == 5 for v in f["variants"]) for f in killed)


def test_key_figure_conflict_between_two_sources(fx):
    d = dossier_of(fx, ["A car bomb in the market killed 12 people on Monday, police said.",
                        "A car bomb in the market killed 30 people on Monday, witnesses said."])
    [fact] = [f for f in d["facts"] if f.get("counted") == "killed"]
    assert fact["status"] == "conflict" and fact.get("key") and fact["statement"].startswith("killed (key figure)")
