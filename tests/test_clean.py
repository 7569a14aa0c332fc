"""Cleaning: metadata recovered from text, boilerplate removed, and the HTML path."""
import re
from collections import Counter

import numpy as np
import pytest

from newsweave.clean import TextCleaner, clean_html, lexicon
from newsweave.clean import text as text_module
from newsweave.clean.lines import Pages, _char_and_word_features, context_features, line_features, page_words, split_lines
from newsweave.clean.meta import byline, credit_from_line, find_date, wire_credit
from newsweave.clean.model import default_classifier
from newsweave.evaluate.extraction import cleaner_for, evaluate, validation_ids
from newsweave.tokens import CJK_RANGES

BODY = ("The regional council voted on Tuesday to close two rural schools, citing falling enrolment and rising "
        "repair costs across the district.\n"
        "Parents said the decision would add an hour of travel each day for dozens of children in the valley.\n"
        "The council said savings would go to the remaining schools and that buses would run from September.\n")


def test_dates_in_common_forms():
    assert find_date("December 13, 2025")[0] == "2025-12-13"
    assert find_date("Pyongyang – Dec. 14, 2025 :")[0] == "2025-12-14"
    assert find_date("Thursday 29 July 2004 08. 23 BST")[0] == "2004-07-29"
    assert find_date("posted 2020-01-05")[0] == "2020-01-05"
    assert find_date("05 / 02 / 2013")[0] == "2013-05-02"  # month first, as in US English
    assert find_date("27/11/2005")[0] == "2005-11-27"  # unless the first number cannot be a month
    assert find_date("February 30, 2020") is None
    assert find_date("no date here") is None


def test_credit_and_byline_forms():
    assert credit_from_line("The post A Headline appeared first on Some Paper.") == "Some Paper"
    assert credit_from_line("This article originally appeared on The Conversation.") == "The Conversation"
    assert credit_from_line("Source: Wire Agency") == "Wire Agency"
    assert credit_from_line("The council voted on Tuesday.") is None
    assert wire_credit("LONDON (Wire) - Markets fell") == "Wire"
    assert byline("By Jane Doe and John Smith") == "Jane Doe and John Smith"
    assert byline("By the way, this is a sentence.") is None


def test_page_chrome_removed_and_metadata_kept():
    page = ("Home\nWorld\nSport\nSubscribe\nSign in\n\nCouncil closes two rural schools\n\nMarch 3, 2024\nBy Ann Lee\n\n"
            + BODY + "\nThe post Council closes two rural schools appeared first on Valley Times.\n\n"
            "Leave a Reply\nYour email address will not be published.\nRelated\nShare this:\nFacebook\nTwitter\n")
    result = TextCleaner().clean(page)
    assert result.title == "Council closes two rural schools"
    assert result.published == "2024-03-03"
    assert result.author == "Ann Lee"
    assert result.credited_origin == "Valley Times"
    for line in BODY.strip().splitlines():
        assert line in result.text
    for chrome in ("Subscribe", "Leave a Reply", "Share this", "appeared first", "March 3, 2024"):
        assert chrome not in result.text
    # every kept span points at the same text in the page
    assert [page[a:b] for a, b in result.kept] == result.text.splitlines()


def test_lines_repeated_across_an_outlet_are_dropped():
    page = "Top stories today\n" + BODY + "Top stories today\nMore from us\n"
    assert "More from us" not in TextCleaner().clean(page, drop_lines={"More from us"}).text


def test_html_path_uses_trafilatura_metadata():
    html = ("<html><head><title>Schools close</title><meta name='author' content='Ann Lee'>"
            "<meta property='article:published_time' content='2024-03-03'></head><body><nav>Home World</nav>"
            "<article><h1>Schools close</h1>" + "".join(f"<p>{p}</p>" for p in BODY.splitlines())
            + "</article><footer>Copyright</footer></body></html>")
    result = clean_html(html)
    assert BODY.splitlines()[0] in result.text and "Home World" not in result.text
    assert result.title == "Schools close" and result.published == "2024-03-03"


def test_cleaner_beats_the_unchanged_page_on_held_out_pages(data_dir):
    directory = data_dir / "extraction-dev"
    ids = validation_ids(directory)[:80]
    raw = evaluate(directory, cleaner_for("raw")[0], "text", ids)
    ours = evaluate(directory, cleaner_for("newsweave")[0], "text", ids)
    assert ours.precision > raw.precision + 0.25
    assert ours.f1 > raw.f1 + 0.1 and ours.f1 >= 0.8


def _is_cjk(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in CJK_RANGES)


def _reference_counts(text: str) -> tuple[float, ...]:
    """The character and word counts of one line, the slow obvious way: a CJK character is a word of its own
    that counts half, and half a short word."""
    toks = re.findall(r"\w+", "".join(f" {c} " if _is_cjk(c) else c for c in text))
    weight = {id(w): 0.5 if _is_cjk(w[0]) else 1.0 for w in toks}
    alpha = [w for w in toks if w.isalpha()]

    def total(words, test):
        return sum(weight[id(w)] for w in words if test(w))

    return (total(toks, bool), total(alpha, lambda w: w[0].isupper()), sum(c.isdigit() for c in text),
            sum(not c.isalnum() and not c.isspace() for c in text),
            total(alpha, lambda w: len(w) <= 3) - 0.5 * total(alpha, lambda w: _is_cjk(w[0])),
            total(alpha, lambda w: w.isupper() and len(w) > 1), sum(c in ",;，、；" for c in text))


def test_vectorised_line_counts_match_the_per_line_definition(seeds):
    tricky = ["A post by 𝐋𝐚𝐮𝐫𝐞 | 𝐃𝐞𝐜𝐨 (@deco) 🎉", "APP下载 B型 NATO's U.S.", "snake_case, déjà-vu; ÉTÉ 2024.", "x",
              "益阳还引进各大电商，构建“互联网+”模式。日本語のテキストABCです、3G。"]
    pages = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())] + ["\n".join(tricky)]
    for page in pages:
        lines = split_lines(page)
        c = _char_and_word_features("\n".join(ln.text for ln in lines), *_offsets(lines))
        got = np.column_stack([c[k] for k in ("words", "capitalised", "digits", "symbols", "short", "all_caps",
                                              "commas")])
        want = np.array([_reference_counts(ln.text) for ln in lines], dtype=float)
        assert got.shape == want.shape and np.array_equal(got, want)


def test_chinese_prose_reads_like_prose():
    """Written without spaces, a Chinese sentence still has a prose line's length, sentence ends and commas."""
    zh = "益阳还引进各大电商等入驻村级便民服务点，构建直销基地模式。安化黑茶、沅江芦笋等特色产品颇具网络口碑。"
    en = "The city also brought large online retailers into village service points. Tea and fish sell well online."
    f = line_features(split_lines(zh + "\n" + en))
    assert f[0, 1] == pytest.approx(np.log1p(sum(map(_is_cjk, zh)) / 2))  # half a word per character
    assert f[0, 1] > f[1, 1] - 0.5
    assert f[0, 2] == f[1, 2] == 1  # ends like a sentence
    assert f[0, 12] == f[1, 12] > 0  # one sentence break inside
    assert f[0, 17] > 0  # commas per word


def _offsets(lines):
    lengths = np.array([len(ln.text) for ln in lines])
    return np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]), lengths


def test_lexicon_scores_lines_as_the_regression_it_was_trained_as(seeds):
    """Runtime scoring (cached per word) must equal the training matrix times the weights."""
    lines = split_lines((seeds / sorted(p.name for p in seeds.iterdir())[0]).read_text(encoding="utf-8"))
    words = page_words(lines)
    weights = np.random.default_rng(0).normal(size=lexicon.DIM)
    lex = lexicon.Lexicon(weights, -0.25)
    want = lexicon.featurize(words.per_line()) @ weights - 0.25
    assert np.allclose(lex.score(words), want)
    shipped = lexicon.Lexicon.from_bytes(lex.to_bytes())
    assert np.allclose(shipped.weights, weights, atol=2e-3 * np.abs(weights).max())


def test_page_vocabulary_shares_match_the_counting_definition(seeds):
    for path in sorted(seeds.iterdir()):
        lines = split_lines(path.read_text(encoding="utf-8"))
        per_line = [re.findall(r"\w+", ln.text.lower()) for ln in lines]
        counts = Counter(w for ws in per_line for w in ws if not w.isdigit())
        top30 = {w for w, _ in counts.most_common(30)}
        hapax = {w for w, c in counts.items() if c == 1}
        got = line_features(lines)
        for i, ws in enumerate(per_line):
            if ws:
                assert got[i, 30] == pytest.approx(sum(w in top30 for w in ws) / len(ws))
                assert got[i, 32] == pytest.approx(sum(w in hapax for w in ws) / len(ws))


def test_shipped_lexicon_knows_page_furniture_from_prose():
    words = page_words(split_lines("Leave a Reply\nShare this:\n"
                                   "The council said on Tuesday that the bridge would reopen after repairs.\n"))
    furniture_a, furniture_b, prose = default_classifier().lexicon.score(words)
    assert max(furniture_a, furniture_b) < prose


def test_pages_classified_together_score_as_each_alone(seeds, data_dir, monkeypatch):
    """Batching pages is only a speed-up: no feature may look across a page's edge."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((data_dir / "extraction-dev" / "page-text").glob("*.txt"))[:12]]
    # a tiny page, a one-line page and two pages of bulleted lines sit between the others
    texts[2:2] = ["Home\n\nNews", "Only one line here.", "* a\n* b\n* c\n\n* d", "* e\n* f\nThe end."]
    pages = [split_lines(t) for t in texts]
    batch = Pages.of(pages)
    together = batch.split(line_features(batch))
    for lines, got in zip(pages, together):
        assert np.allclose(got, line_features(lines), atol=1e-9)
    prob = np.random.default_rng(1).random(len(batch))
    for part, got in zip(batch.split(prob), batch.split(context_features(prob, batch))):
        assert np.allclose(got, context_features(part), atol=1e-12)
    classifier = default_classifier()
    for lines, got in zip(pages, classifier.predict_pages(pages)):
        assert np.allclose(got, classifier.predict(lines), atol=1e-9)
    cleaner = TextCleaner()
    alone = [cleaner.clean(t).text for t in texts]
    assert [r.text for r in cleaner.clean_many([(t, frozenset()) for t in texts])] == alone
    monkeypatch.setattr(text_module, "BATCH_CHARS", 5000)  # batches of a few pages each, big pages alone
    assert [r.text for r in cleaner.clean_many([(t, frozenset()) for t in texts])] == alone


def test_the_line_classifier_is_loaded_only_with_the_features_it_was_trained_on():
    import json
    from importlib import resources

    from newsweave.clean.lines import N_BASE
    from newsweave.clean.model import LineClassifier, first_features, second_features

    spec = json.loads(resources.files("newsweave").joinpath("data/cleaner.json").read_text())
    assert spec["features"]["first"] == list(first_features()) and len(first_features()) == N_BASE + 1
    assert len(spec["first"][0]["mean"]) == len(first_features())
    assert len(spec["second"][0]["mean"]) == len(second_features())
    swapped = dict(spec, features={"first": list(reversed(first_features())), "second": list(second_features())})
    with pytest.raises(ValueError, match="retrain"):
        LineClassifier(swapped, None)


@pytest.mark.parametrize("lines, holder", [
    (["DNYUZ © 2026", "No Result", "DNYUZ © 2026"], "DNYUZ"),
    (["© 2024 Example Media. All rights reserved."], "Example Media"),
    (["Copyright (c) 2015-2020 Acme News, Inc."], "Acme News"),
    (["© Getty Images"], None),  # no year: a photo credit, not the site's footer
    (["© 2019 All rights reserved"], None),
    (["© 2021 Alle Rechte vorbehalten"], None),
    (["The photographer holds the copyright to the image and sold it to several outlets last week, © 2020."], None),
])
def test_a_page_footer_names_its_site(lines, holder):
    from newsweave.clean.meta import copyright_holder

    assert copyright_holder(lines) == holder


def test_the_aggregator_that_reposted_a_story_is_named(seeds, tmp_path):
    """The seed page wrapped in an aggregator's chrome is shown under the aggregator's name (from its
    footer), not its file name; the article itself credits the original."""
    from newsweave import Newsweave
    from newsweave.dossier import outlet_label

    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([seeds])
        wrapped = [a for a in nw.articles() if a.credited_origin and a.outlet]
    assert len(wrapped) == 1 and outlet_label(wrapped[0]) == wrapped[0].outlet
    assert wrapped[0].outlet.lower() not in wrapped[0].credited_origin.lower()
