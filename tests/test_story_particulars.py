"""Stories told apart by their particulars and their language: a follow-up weeks later that names the same
people joins its story, a look-alike with other names does not; articles in two languages never share a
story; every article's language is detected and exported."""
import json
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.clean.language import detect_language
from newsweave.cluster.features import person_names

FIRST = ("Police said 7-year-old Darnell Hopkins was shot in the back on Kedzie Avenue on Saturday night. "
         "Hopkins was playing in the yard when a gunman opened fire from a passing car. Officers arrested "
         "Marcus Whitfield, 24, on Sunday. Whitfield was charged with murder, police said. Neighbours said the "
         "boy loved football. Hopkins died at Stroger Hospital.")
FOLLOW_UP = ("Marcus Whitfield pleaded not guilty on Tuesday to the murder of 7-year-old Darnell Hopkins, who was "
             "shot on Kedzie Avenue last month. Whitfield, 24, is held without bail. Prosecutors said Whitfield "
             "fired from a passing car. Hopkins's mother wept in court. The judge set a trial date for March.")
LOOK_ALIKE = ("Police said 8-year-old Tyrese Allen was shot in the back on Kedzie Avenue on Saturday night. Allen "
              "was playing in the yard when a gunman opened fire from a passing car. Officers arrested Deshawn "
              "Porter, 22, on Sunday. Porter was charged with murder, police said. Neighbours said the boy loved "
              "football. Allen died at Stroger Hospital.")


def _ingest(tmp_path, records):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([path])
        return {a.title: a for a in nw.articles()}


def test_people_are_told_from_places():
    assert person_names(FIRST) == ["darnell hopkins", "marcus whitfield"]
    assert person_names("Syrian Kurds fled Raqqa. Syrian forces held Raqqa. Kurds said little.") == []


def test_a_follow_up_naming_the_same_people_joins_its_story_weeks_later(tmp_path):
    got = _ingest(tmp_path, [
        {"title": "Boy shot dead", "text": FIRST, "published": "2015-03-07"},
        {"title": "Plea in boy's killing", "text": FOLLOW_UP, "published": "2015-04-14"},
        {"title": "Another boy shot dead", "text": LOOK_ALIKE, "published": "2015-04-18"},
    ])
    assert got["Boy shot dead"].story_id == got["Plea in boy's killing"].story_id  # 38 days apart
    assert got["Another boy shot dead"].story_id != got["Boy shot dead"].story_id  # same street, other people


# a follow-up that names no one but the day of the incident, and a look-alike weeks later that names another day
DAY_FIRST = ("A man was shot and killed outside a convenience store on Kedzie Avenue on Saturday night, police "
             "said. The victim, 31, was hit several times and died at the scene. Officers found shell casings near "
             "the entrance. No arrests have been made. Police asked witnesses to come forward.")
DAY_FOLLOW_UP = ("Police are still looking for the gunman in the March 7 killing outside a convenience store on "
                 "Kedzie Avenue. The victim, 31, was hit several times and died at the scene. Detectives released "
                 "a video from the store's camera and asked witnesses to come forward.")
DAY_LOOK_ALIKE = ("A man was shot and killed outside a convenience store on Kedzie Avenue on Sunday night, police "
                  "said. The victim, 27, was hit several times and died at the scene. Officers found shell casings "
                  "near the entrance. No arrests have been made. Police asked witnesses to come forward.")


def test_story_days_are_the_publication_and_the_days_a_text_names():
    from datetime import date

    from newsweave.cluster.features import story_days

    published, named = story_days("Shot on March 7 and buried on Mar. 12, 2015; the 2014 trial began Dec 30.",
                                  "2015-04-01")
    assert [date.fromordinal(d).isoformat() for d in published] == ["2015-03-31", "2015-04-01"]
    assert [date.fromordinal(d).isoformat() for d in named] == ["2014-12-30", "2015-03-07", "2015-03-12"]
    assert story_days("Shot on March 7.", None) == ([], [])


def test_a_follow_up_naming_the_incidents_day_joins_its_story_and_a_look_alike_does_not(tmp_path):
    got = _ingest(tmp_path, [
        {"title": "Man shot dead outside store", "text": DAY_FIRST, "published": "2015-03-08"},
        {"title": "Gunman still sought", "text": DAY_FOLLOW_UP, "published": "2015-03-30"},
        {"title": "Another man shot dead outside store", "text": DAY_LOOK_ALIKE, "published": "2015-04-27"},
    ])
    first = got["Man shot dead outside store"].story_id
    assert got["Gunman still sought"].story_id == first  # 22 days apart, names the day
    assert got["Another man shot dead outside store"].story_id != first


@pytest.mark.parametrize("text, language", [
    ("Der Bundestag hat am Donnerstag beschlossen, dass die Steuern im nächsten Jahr steigen werden.", "de"),
    ("Le gouvernement a annoncé jeudi que les impôts augmenteront l'année prochaine, selon le ministre.", "fr"),
    ("The government said on Thursday that taxes would rise next year, according to the minister.", "en"),
    ("Tax rise.", None),
])
def test_language_of_an_article(text, language):
    assert detect_language(text) == language


def test_plain_english_is_told_without_loading_the_model():
    """Loading py3langid's model is most of what adding one article costs a fresh process: a text dense
    with words only English has is English without it; any other text asks the model."""
    from newsweave.clean import language

    language._identifier.cache_clear()
    assert detect_language(FIRST + " " + FOLLOW_UP) == "en"
    assert language._identifier.cache_info().currsize == 0
    german = ("Der Bundestag hat am Donnerstag beschlossen, dass die Steuern im nächsten Jahr steigen werden. "
              "Die Regierung sagte, das sei nötig, und die Opposition kritisierte den Beschluss scharf.")
    assert detect_language(german) == "de" and language._identifier.cache_info().currsize == 1


def test_two_languages_never_share_a_story(tmp_path):
    english = ("Police said 7-year-old Darnell Hopkins was shot in the back on Kedzie Avenue in Chicago on Saturday "
               "night. Hopkins was playing in the yard when a gunman opened fire from a passing car, police said.")
    german = ("Die Polizei sagte, der 7-jährige Darnell Hopkins sei am Samstagabend in der Kedzie Avenue in Chicago "
              "in den Rücken geschossen worden. Hopkins spielte im Hof, als ein Schütze aus einem Auto feuerte.")
    got = _ingest(tmp_path, [{"title": "Boy shot", "text": english, "published": "2015-03-07"},
                             {"title": "Junge erschossen", "text": german, "published": "2015-03-07"},
                             {"title": "Boy shot in Chicago", "text": english.replace("Saturday", "Saturday evening"),
                              "published": "2015-03-07"}])
    assert got["Boy shot"].language == "en" and got["Junge erschossen"].language == "de"
    assert got["Junge erschossen"].story_id != got["Boy shot"].story_id


def test_pages_in_many_languages_keep_their_stories_apart(data_dir, tmp_path):
    lines = (Path(__file__).parent / "fixtures" / "extraction_dev_languages.tsv").read_text(encoding="utf-8")
    gold = dict(line.split("\t") for line in lines.splitlines() if line and line[0] == "t")
    ids = sorted(gold)[:300]
    with Newsweave(tmp_path / "p.db") as nw:
        nw.ingest([data_dir / "extraction-dev" / "page-text" / f"{i}.txt" for i in ids])
        articles = {a.id: a for a in nw.articles()}
        stories = nw.stories()
    page = {a.id: Path(a.source).stem for a in articles.values()}
    right = sum(a.language == gold[page[a.id]] for a in articles.values())
    assert right >= 0.97 * len(articles)
    assert len({gold[page[i]] for a in articles for i in [a]}) > 3  # several languages are in the sample
    for story in stories:
        assert len({gold[page[i]] for i in story.article_ids}) == 1, story.id
    assert sum(len(s.article_ids) > 1 for s in stories) >= 10  # stories were formed, not only singletons
