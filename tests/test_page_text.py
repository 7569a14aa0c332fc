"""An outlet's page text, learned from the store, is kept out of summaries: a share line before the report is
cut from the sentence, a tag list run into a sentence drops it, and other outlets' prose is left alone."""
from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from newsweave import Newsweave
from newsweave.align.page_text import Template, learn_templates, template_opening, text_pairs

SAMPLE = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
OUTLET = "dailysabah"  # the bundled outlet with the most articles after ahram; any would do


def _sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def _with_template(rows: list[dict]) -> list[dict]:
    """The sample, with a site template added to one outlet's articles as a crawl without line breaks would
    give it: a date and a share line before the text, a tag list (the headline's words) before the second
    sentence."""
    out = []
    for k, row in enumerate(rows):
        if row["outlet"] == OUTLET:
            end = re.search(r"(?<=[a-z]{2})\. (?=[A-Z])", row["text"])  # the first sentence's end
            first, rest = (row["text"][:end.start()], row["text"][end.end():]) if end else (row["text"], "")
            tags = " ".join(w for w in re.findall(r"[A-Z][a-z]+", row["title"])[:4])
            row = {**row, "text": f"1{k % 9}.0{k % 9 + 1}.2017Share Story Views {100 + 37 * k} {first}. "
                                  f"Topics Syria {tags} {rest}"}
        out.append(row)
    return out


@pytest.fixture(scope="module")
def templated(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "sample.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _with_template(_sample())), encoding="utf-8")
    return path


def test_an_outlets_template_is_learned_and_others_prose_is_not():
    rows = _with_template(_sample())
    own = [r["text"] for r in rows if r["outlet"] == OUTLET]
    others = [text_pairs(r["text"]) for r in rows if r["outlet"] != OUTLET]
    template = learn_templates(own, others)
    assert ("share", "story") in template.opening and ("story", "views") in template.inner
    assert ("topics", "syria") in template.lists and ("share", "story") not in template.lists
    # words every outlet uses are no one's template, wherever they stand
    assert ("at", "least") not in template.inner and ("the", "syrian") not in template.inner
    # too few articles show no template
    assert not learn_templates(own[:4], others)


def test_a_template_is_cut_from_the_sentence_after_it_or_drops_a_list():
    template = Template(frozenset({("share", "story"), ("topics", "syria")}),
                        frozenset({("share", "story"), ("story", "views"), ("views", "#"), ("topics", "syria")}),
                        frozenset({("topics", "syria")}))
    sentence = "Share Story Views 0 55 US Secretary of Defense Ashton Carter said the coalition killed key ministers."
    cut, follows = template_opening(sentence, template)
    assert follows and sentence[cut:].startswith("US Secretary")
    assert template_opening("Topics Syria Aleppo Idlib At least 16 people were killed.", template)[1] is False
    # a sentence the template does not open, and words of it running on in lower case, are left alone
    assert template_opening("The army said Share Story Views was a slogan.", template) == (0, True)
    assert template_opening("Share story ideas from the ministry, he said.", template) == (0, True)


def test_summaries_hold_no_page_text_learned_from_the_store(templated, tmp_path):
    with Newsweave(tmp_path / "p.db") as nw:
        nw.ingest([templated])
        template = nw._dossier_builder().page_text({OUTLET})[OUTLET]
        assert ("share", "story") in template.opening
        stories = [s for s in nw.stories() if any(a.outlet == OUTLET for a in nw.articles(s.id))]
        texts = {a.id: a.text for a in nw.articles()}
        sentences = [s for story in stories for s in nw.dossier(story.id)["summary"]]
    assert sentences
    assert not [s["text"] for s in sentences if re.search(r"Share Story Views|Topics Syria", s["text"])]
    # a report's first sentence, after the share line, still reaches a summary, its evidence on that text
    # (the outlet's own "Published <date>" label, cut as a date, may stand between)
    cut = [s for s in sentences if re.search(r"Share Story Views \d+ (Published \w+ \d+ \d{4} )?$",
                                             texts[s["evidence"][0]["article_id"]][:s["evidence"][0]["start"]])]
    assert cut
    for s in cut:
        e = s["evidence"][0]
        assert texts[e["article_id"]][e["start"]:e["end"]].strip() == s["text"]
