"""An outlet's page text, learned from the store: word pairs that open text in many of one outlet's articles
and rarely appear in other outlets' ("Get short URL 1234", "Last updated at", "Print Tweet Views 458
Related"). They are its site template, which a crawl that lost line breaks runs into the sentence after it.
No outlet's words are written here: what counts as template is what repeats, where it stands, and whose
articles it is in.

A pair counts only where it opens text: at the start, after a number (a date, a share count) or after a
sentence's end. A phrase an outlet uses often in prose ("the Syrian Coalition", "Daesh terrorists") also
stands mid-sentence, so it is no template; one every outlet uses ("At least") is not the outlet's."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

TOKEN = re.compile(r"[^\W\d_]+|\d+")
OPENING_AFTER = ".!?:)]”\"|"  # what may stand before a pair that opens text, besides a number or nothing
MIN_ARTICLES = 5  # an outlet with fewer articles in the store shows no template
SHARE = 0.2  # of an outlet's articles that hold a template pair
OPENING = 0.8  # of those in which it opens text
ELSEWHERE = 0.02  # at most this share of other outlets' articles hold it
CLAUSE_WORDS = 5  # a sentence has a function word in lower case within this many words; a tag list does not

Pair = tuple[str, str]

# a date opening a block of crawled text, after the wire's name or a page's label if any ("Wednesday 21 August
# 2013 ...", "Mon Jul 18 2016 ...", "AFP Tuesday 5 Jul 2016 ...", "Reuters Monday 31 Oct 2016 ...", "Date of
# publication 4 April 2017 ...", "18-07-2016 ..."), a new sentence after it: a date that is the sentence's
# subject ("May 5 2016 was ...") stays
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_LABEL = r"(?:[A-Z]{2,6}\s+|[A-Z][a-z]+(?:\s+[a-z]+){0,2}\s+(?=[A-Z0-9]))"  # "AFP", "Date of publication"
# A crawl may run the day into the year ("Oct 262016") and follow the date with its clock time ("Friday 10 July
# 2015 19:14", "Wed 01 Oct 2014 at 1459") or an update stamp in brackets ("28.05.2017(updated 1549
# 28.05.2017)"); a clock time alone before a headline is a page's stamp too.
_CLOCK = r"(?:\d{1,2}:\d\d|at\s+\d{1,2}:?\d\d)(?:\s*[AaPp]\.?[Mm]\.?)?"
_DATE = rf"(?:(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}),?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:19|20)\d\d|" \
        rf"\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}})"
LEADING_DATE = re.compile(rf"{_LABEL}?(?:[A-Z][a-z]{{2,8}},?\s+)?(?:{_DATE}(?:\s*{_CLOCK})?(?:\s*\([^()]{{1,40}}\))?\)?"
                          rf"|{_CLOCK}(?=\s))(?!\d)[\s:,—–-]*(?=[A-Z0-9“\"])")


def _key(word: str) -> str:
    return "#" if word[0].isdigit() else word.lower()


def _opens_text(text: str, at: int) -> bool:
    """Whether a word at `at` opens text: at the start, or after a number or a sentence's end."""
    k = at - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k < 0 or text[k] in OPENING_AFTER or text[k].isdigit()


def _pairs(text: str) -> tuple[set[Pair], Counter, Counter]:
    """(the word pairs of a text, how often each occurs, how often it opens text), in lower case with numbers
    as "#": "The observatory" opens sentences, but "the observatory" stands mid-sentence too."""
    tokens = list(TOKEN.finditer(text))
    seen, opening = Counter(), Counter()
    for a, b in zip(tokens, tokens[1:]):
        pair = (_key(a.group()), _key(b.group()))
        if pair == ("#", "#"):
            continue
        seen[pair] += 1
        opening[pair] += _opens_text(text, a.start())
    return set(seen), seen, opening


@dataclass(frozen=True)
class Template:
    """An outlet's page text as word pairs: those that open it, those that carry it on ("get short", then
    "short url"), and the opening pairs that head a list ("tags syria ..."), not a sentence."""

    opening: frozenset[Pair] = frozenset()
    inner: frozenset[Pair] = frozenset()
    lists: frozenset[Pair] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.opening)

    def run(self, keys: list[str], stop: Callable[[int], bool] = lambda i: False) -> tuple[int, int]:
        """(index of the first word, index of the last) of the template opening these words ((0, -1) if none):
        numbers before it, then an opening pair, then pairs carrying it on and the counts in it ("0 55"), up
        to a word where `stop` says something else begins (a date)."""
        j = 0
        while j < len(keys) and keys[j] == "#":
            j += 1
        if j + 1 >= len(keys) or (keys[j], keys[j + 1]) not in self.opening:
            return 0, -1
        end = j + 1
        while end + 1 < len(keys) and not stop(end + 1) and \
                ((keys[end], keys[end + 1]) in self.inner or keys[end] == keys[end + 1] == "#"):
            end += 1
        return j, end


def text_pairs(text: str) -> set[Pair]:
    """The word pairs of a text (of another outlet's article, to compare an outlet's with)."""
    return _pairs(text)[0]


def learn_templates(outlet_texts: Iterable[str], others: list[set[Pair]]) -> Template:
    """One outlet's template, from a sample of its articles and the word pairs of a sample of others'."""
    outlet_texts = list(outlet_texts)
    if len(outlet_texts) < MIN_ARTICLES:
        return Template()
    held, seen, opens = Counter(), Counter(), Counter()
    for text in outlet_texts:
        pairs, count, opening = _pairs(text)
        held.update(pairs)
        seen.update(count)
        opens.update(opening)
    frequent = {p for p, n in held.items() if n >= max(3, SHARE * len(outlet_texts))}
    if not any(opens[p] >= OPENING * seen[p] for p in frequent):
        return Template()
    elsewhere = Counter(p for pairs in others for p in pairs & frequent)
    own = {p for p in frequent if elsewhere[p] <= ELSEWHERE * len(others)}
    words = {w for p in own for w in p}
    counts = {p for p in frequent if p[1] == "#" and p[0] in words}  # its counter ("views 877"), shared or not
    template = Template(frozenset(p for p in own if opens[p] >= OPENING * seen[p]), frozenset(own | counts))
    return Template(template.opening, template.inner, _list_heads(template, outlet_texts))


def _list_heads(template: Template, texts: list[str]) -> frozenset[Pair]:
    """The opening pairs after which, in most of the outlet's texts, no sentence follows: within CLAUSE_WORDS
    words of the template's end comes no function word in lower case (a tag list, a menu)."""
    lists, total = Counter(), Counter()
    for text in texts:
        tokens = list(TOKEN.finditer(text))
        keys = [_key(t.group()) for t in tokens]
        for i in range(len(keys) - 1):
            if (keys[i], keys[i + 1]) in template.opening and _opens_text(text, tokens[i].start()):
                start, end = template.run(keys[i:i + 50],
                                          lambda k: bool(LEADING_DATE.match(text, tokens[i + k].start())))
                if end < 0 or i + end + 1 >= len(tokens):
                    continue
                at = tokens[i + end + 1].start()
                date = LEADING_DATE.match(text, at)
                after = text[date.end() if date else at:].split()[:CLAUSE_WORDS]
                total[keys[i], keys[i + 1]] += 1
                lists[keys[i], keys[i + 1]] += not any(w in ENGLISH_STOP_WORDS for w in after if w.islower())
    return frozenset(p for p, n in total.items() if lists[p] > n / 2)


def template_opening(sentence: str, template: Template) -> tuple[int, bool]:
    """(how many characters of `sentence` are its outlet's template, whether a sentence follows them): none
    when the template heads a list there. Ending in a function word before a name ("Activists in Idlib
    said") or followed by a word in lower case, the words are a phrase of the sentence, not a template.
    The template ends where a date begins (LEADING_DATE, which the caller cuts)."""
    if not template:
        return 0, True
    tokens = list(TOKEN.finditer(sentence))
    keys = [_key(t.group()) for t in tokens]
    start, end = template.run(keys, lambda i: bool(LEADING_DATE.match(sentence[tokens[i].start():])))
    if end < 0:
        return 0, True
    if end + 1 >= len(tokens) or (keys[start], keys[start + 1]) in template.lists:
        return len(sentence), False
    for last in range(end, start, -1):  # the longest run of the template a sentence follows
        cut = tokens[last + 1].start()
        while cut > 0 and sentence[cut - 1] in "“\"‘'(":  # a quote opening the sentence after it belongs to it
            cut -= 1
        rest = sentence[cut:]
        if keys[last + 1] != "#" and keys[last] not in ENGLISH_STOP_WORDS and \
                (rest[0].isupper() or rest[0].isdigit() or rest[0] in "“\"‘'("):
            return cut, True
    return 0, True  # the words run on into the sentence
