"""Quotes and attributed claims: who said what, with the cue that says so.

An attribution has a source (the speaker: a person, an organisation, a document, "officials"), a cue
("said", "told", "according to", "argued", "believes") and a content. Cues are the words that introduce
attributions in hand-annotated news (newsweave.facts.attribution learns them and how far each can be
trusted). The content of a cue is
- the clause or phrase it governs in the parse ("X said that ...", "urged Congress to ...");
- the quotations it introduces: every quoted stretch whose nearest cue it is, so a quote split by its cue
  ("The plan," he said, "is dead.") is one content in two fragments, and quoted sentences that go on in the
  same paragraph join it;
- after "according to X", the rest of its sentence.
A partial quote inside a governed clause (He called the test "provocative" and said ...) makes a mixed
attribution: the content is the whole clause, the quoted words are kept as verbatim spans. A quoted
stretch with no cue is a quote only when it opens a sentence and follows an attribution (the speaker goes
on); other quoted words (scare quotes, titles) are not speech.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsweave.facts.attribution import AttributionModel, candidate_features
from newsweave.facts.entities import PRONOUNS, resolve_pronoun
from newsweave.facts.nlp import text_of
from newsweave.facts.quote_marks import paragraphs, quoted_regions
from newsweave.records import EntityMention, QuoteMention

SPEECH = {"say", "tell", "add", "state", "remark", "note", "write", "announce", "declare", "claim", "insist",
          "warn", "explain", "ask", "reply", "describe", "call", "praise", "stress", "emphasize", "emphasise",
          "vow", "pledge", "urge", "acknowledge", "confirm", "deny", "report", "tweet", "post", "quote", "thank"}
ARGUMENTS = {"dobj", "dative", "prep", "xcomp", "oprd", "attr", "acomp"}
ADDRESSED = {"tell", "ask", "inform", "assure", "remind", "warn", "urge", "brief"}
MIN_QUOTE_WORDS = 3  # fewer quoted words are a phrase, not a statement
NOBODY = {"it", "this", "that", "there", "which", "what"}


@dataclass
class Candidate:
    """An attribution before it is kept or dropped: its cue, source token and content tokens."""
    cue: list  # the cue's tokens ("according", "to")
    kind: str  # how the content was found: ccomp, xcomp, dobj, prep, according, quote
    source: object | None  # the token heading the source phrase
    content: set = field(default_factory=set)  # token indices
    regions: list = field(default_factory=list)  # quotation ids that belong to it


def _speaker_of(verb, inside) -> object | None:
    """The subject of a speech verb, climbing from "saying" to the verb it hangs on; the agent of a passive."""
    tok = verb
    for _ in range(3):
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside]
        if subj and subj[0].lower_ in ("who", "that") and tok.dep_ == "relcl":
            return tok.head  # "officials, who said ...": the officials
        agent = [p for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if agent:
            return agent[0]
        if subj:  # "said Roy Police Lt. Kevin Smith" parses as two subjects: the name is the last
            return max(subj, key=lambda t: (t.ent_type_ == "PERSON", t.i))
        if tok.dep_ in ("advcl", "xcomp", "conj", "ccomp", "parataxis", "relcl") and tok.head is not tok:
            if tok.dep_ == "relcl":
                return tok.head  # "officials, who said ..."
            tok = tok.head
        else:
            break
    return None


def _according_to(sent, inside) -> object | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            objs = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj" and c.i not in inside]
            if objs:
                return objs[0]
    return None


def _name(tok, entities: list[EntityMention], before: int, text: str) -> tuple[str | None, tuple[int, int] | None]:
    """Who a subject token names: its entity, the person a pronoun points back to, or its own words.
    `text` is the document's text."""
    for e in entities:
        if e.start <= tok.idx < e.end:
            return e.entity, (e.start, e.end)
    if tok.lower_ in PRONOUNS:
        ref = resolve_pronoun(entities, before)
        return (ref.entity, (tok.idx, tok.idx + len(tok))) if ref else (None, None)
    if tok.pos_ == "PRON" and tok.lower_ not in ("who",):
        return None, None  # "it", "they": nobody in particular
    for appos in (c for c in tok.children if c.dep_ == "appos"):  # "her rep, Jack Ketsoyan, said"
        for e in entities:
            if e.start <= appos.idx < e.end and e.label in ("PERSON", "ORG"):
                return e.entity, (e.start, e.end)
    words = [t for t in tok.subtree if t.i <= tok.i or t.dep_ in ("compound", "amod")][-6:]
    if not words:
        return None, None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    for e in entities:  # "France's AFP news agency": the named organisation, not its owner's name
        if start <= e.start and e.end <= end and e.label in ("PERSON", "ORG") and \
                text[e.end: e.end + 2] not in ("'s", "’s"):
            return e.entity, (e.start, e.end)
    if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
        named = _described(tok.lower_, entities, text, before)
        if named is not None:  # "the senator", after "Sen. Ted Cruz" and no other senator
            return named, (start, end)
    return text[start:end], (start, end)


ABBREVIATED = {"senator": "sen", "governor": "gov", "representative": "rep", "president": "pres",
               "general": "gen", "secretary": "sec", "professor": "prof", "lieutenant": "lt", "sergeant": "sgt"}


def _described(noun: str, entities: list[EntityMention], text: str, before: int) -> str | None:
    """The one person named earlier with this title or description ("Sen. Ted Cruz", "Ted Cruz, the
    senator from Texas"), or None when none or several are."""
    words = {noun, ABBREVIATED.get(noun, noun)}
    found = set()
    for e in entities:
        if e.label != "PERSON" or e.start >= before:
            continue
        around = re.findall(r"\w+", (text[max(e.start - 30, 0):e.start] + " " + text[e.end:e.end + 60]).lower())
        if words & set(around):
            found.add(e.entity)
    return found.pop() if len(found) == 1 else None


def _paragraph_of(doc, text: str) -> list[int]:
    """The paragraph of every token: a content never crosses a line break unless a quotation does."""
    starts = [a for a, _ in paragraphs(text)]
    return [bisect.bisect_right(starts, t.idx) for t in doc]


def _cues(doc, quoted: dict[int, int], model: AttributionModel, para: list[int]) -> list[Candidate]:
    """Cue words outside quotations, each with the content its parse governs (possibly none yet)."""
    out = []
    for tok in doc:
        if tok.i in quoted:
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            prep = doc[tok.i + 1]
            source = next((c for c in prep.children if c.dep_ == "pobj"), None)
            phrase = {tok.i, prep.i} | ({t.i for t in source.subtree} if source is not None else set())
            content = {t.i for t in tok.sent if t.i not in phrase and not t.is_punct and para[t.i] == para[tok.i]}
            out.append(Candidate([tok, prep], "according", source, content))
            continue
        if tok.pos_ != "VERB" or model.cue_weight(tok.lemma_.lower()) is None:
            continue
        source = _speaker_of(tok, set())
        ccomp = [c for c in tok.children if c.dep_ == "ccomp"]
        if ccomp:  # "said (that) ...": the clause
            kind, args = "ccomp", ccomp[:1]
        else:  # "accused the GOP of stoking ...", "called on Obama to retaliate": what follows, all of it
            args = [c for c in tok.children if c.i > tok.i and c.dep_ in ARGUMENTS and para[c.i] == para[tok.i]
                    and not (c.dep_ == "dobj" and c.pos_ == "PRON" and tok.lemma_.lower() in ADDRESSED)]
            kind = args[0].dep_ if args else "quote"
        skip = {t.i for t in source.subtree} if source is not None else set()
        keep = {t.i for a in args for t in a.subtree if para[t.i] == para[tok.i]} - skip
        out.append(Candidate([tok] + [t for t in tok.children if t.dep_ == "prt"], kind, source, keep))
    # "..., Kim said, according to KCNA": the agency relayed Kim's words (the channel), it is no second speaker
    spoken = {c.cue[0].sent.start for c in out if c.kind != "according" and c.source is not None}
    return [c for c in out if c.kind != "according" or c.cue[0].sent.start not in spoken]


def _opens_sentence(doc, toks: range) -> bool:
    first = doc[toks.start]
    return first.i <= first.sent.start + 1


def _nearest_cue(doc, span_tokens: range, cues: list[Candidate], quoted: dict[int, int], para: list[int],
                 text: str, after: bool) -> Candidate | None:
    """The cue in the sentences a quotation touches that stands nearest to it, outside any quotation; with
    `after`, also in the sentence after it even when the quotation ends a sentence of its own."""
    first, last = doc[span_tokens.start], doc[span_tokens.stop - 1]
    lo, hi = first.sent.start, last.sent.end
    inner = text[:last.idx].rstrip(" ”\"’'")[-1:]
    if last.i + 1 < len(doc) and (after or inner == ","):  # "“...,” he said." may be cut after the mark
        hi = max(hi, doc[last.i + 1].sent.end)
    paras = {para[first.i], para[last.i]}
    k = first.i - 1
    while k > 0 and doc[k].is_space:
        k -= 1
    if k >= 0 and doc[k].text == ":":  # "He said: “...”", also with the quote in the next paragraph
        lo = min(lo, doc[k].sent.start)
        paras.add(para[k])
    near = [c for c in cues if lo <= c.cue[0].i < hi and c.cue[0].i not in quoted and para[c.cue[0].i] in paras]
    if not near:
        return None
    return min(near, key=lambda c: min(abs(c.cue[0].i - first.i), abs(c.cue[0].i - last.i)))


def _signed(doc, toks: range, para: list[int]) -> Candidate | None:
    """ "“...” ― Oscar P. Quintero": a quotation signed with a dash and a name."""
    k = toks.stop
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k + 1 < len(doc) and doc[k].text in "―—–-" and para[k] == para[toks.stop - 1]:
        name = next((t for t in doc[k + 1: k + 4] if t.pos_ == "PROPN"), None)
        if name is not None:
            while name.head.pos_ == "PROPN" and name.head is not name and name.head.i < k + 6:
                name = name.head
            return Candidate([doc[k]], "quote", name)
    return None


def _introducing_verb(doc, toks: range, quoted: dict[int, int], para: list[int]) -> Candidate | None:
    """ "Trump boasted, “That makes me smart.”" or "“...,” Trump boasted.": a verb with a subject right
    beside a quoted sentence introduces it, whether or not it is a common cue."""
    i = toks.start - 1
    while i >= 0 and doc[i].is_punct and doc[i].text in ",:":
        i -= 1
    before = doc[i] if i >= 0 and i < toks.start - 1 else None
    after = [doc[k] for k in range(toks.stop, min(toks.stop + 5, len(doc)))
             if doc[k].sent.start <= toks.stop - 1 < doc[k].sent.end or doc[k].sent.start == doc[toks.stop].sent.start]
    for verb in ([before] if before is not None else []) + [t for t in after if t.i not in quoted]:
        if verb.pos_ == "VERB" and verb.i not in quoted and para[verb.i] in (para[toks.start], para[toks.stop - 1]):
            source = _speaker_of(verb, set(toks))
            if source is not None and source.pos_ in ("PROPN", "NOUN", "PRON"):
                return Candidate([verb], "quote", source)
        if verb is not before and verb.is_punct and verb.text in ".?!":
            break
    return None


def _fragments(doc, tokens: set[int], skip: set[int]) -> list[tuple[int, int]]:
    """Character spans of runs of content tokens (punctuation at a run's edges left out)."""
    idx = sorted(i for i in tokens if i not in skip)
    runs, cur = [], []
    for i in idx:
        if cur and i != cur[-1] + 1 and not all(doc[k].is_punct or doc[k].is_space for k in range(cur[-1] + 1, i)):
            runs.append(cur)
            cur = []
        cur.append(i)
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        toks = [doc[i] for i in range(run[0], run[-1] + 1)]
        while toks and (toks[0].is_punct and toks[0].text not in "“\"‘'" or toks[0].is_space):
            toks.pop(0)
        while toks and (toks[-1].is_punct and toks[-1].text not in "”\"’'.?!" or toks[-1].is_space):
            toks.pop()
        if toks:
            out.append((toks[0].idx, toks[-1].idx + len(toks[-1])))
    return out


def _shown(text: str, fragments: list[tuple[int, int]]) -> str:
    parts = [text[a:b].strip().strip("“”\"‘’'").strip() for a, b in fragments]
    return " … ".join(p for p in parts if p)


def extract_quotes(doc, entities: list[EntityMention], model: AttributionModel | None = None) -> list[QuoteMention]:
    """The attributions of a parsed article that the shipped classifier keeps, in reading order."""
    model = model or AttributionModel.shipped()
    out = [q for q, features in candidates(doc, entities, model) if model.keep(features) is not False]
    _channels(doc, out, entities, text_of(doc))
    out.sort(key=lambda q: q.start)
    return out


def candidates(doc, entities: list[EntityMention], model: AttributionModel) -> list[tuple[QuoteMention, dict]]:
    """Every candidate attribution with the features the classifier decides on."""
    text = text_of(doc)
    regions, quoted, region_tokens = _quotations(doc, text)
    para_of = _paragraph_of(doc, text)
    cues = _cues(doc, quoted, model, para_of)
    for r, c in sorted(_speakers(doc, text, cues, quoted, region_tokens, para_of).items()):
        c.regions.append(r)
    for c in list(cues):  # "Kall said: “...”" after a clause of his own: two statements, either side of the cue
        own_words = [i for i in c.content if i not in quoted and doc[i].is_alpha]
        away = [r for r in c.regions if own_words and not (set(region_tokens[r]) & c.content)]
        if away:
            c.regions = [r for r in c.regions if r not in away]
            cues.append(Candidate(c.cue, "quote", c.source, set(), away))
    out = []
    for c in cues:
        found = _attribution(doc, text, c, entities, regions, quoted, region_tokens, model)
        if found is not None:
            out.append(found)
    return out


def _quotations(doc, text: str) -> tuple[list, dict[int, int], list[range]]:
    """The quotations of a text: their character spans, each quoted token's quotation, and each
    quotation's tokens from its first mark to its last."""
    regions = quoted_regions(text)
    quoted: dict[int, int] = {}  # token index -> quotation id
    region_tokens: list[range] = []
    for r, spans in enumerate(regions):
        first = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
        last = doc.char_span(spans[-1][0], spans[-1][1], alignment_mode="expand")
        if first is None or last is None:
            region_tokens.append(range(0))
            continue
        region_tokens.append(range(first.start, last.end))
        for a, b in spans:
            span = doc.char_span(a, b, alignment_mode="expand")
            for t in span or ():
                quoted[t.i] = r
    return regions, quoted, region_tokens


def _speakers(doc, text: str, cues: list[Candidate], quoted: dict[int, int], region_tokens: list[range],
              para_of: list[int]) -> dict[int, Candidate]:
    """Quotation id -> the attribution it belongs to. New candidates (a verb introducing a quote, a
    signature, a speaker going on in the next paragraph) are added to `cues`."""
    owner: dict[int, Candidate] = {}
    for c in cues:  # a quotation inside a governed clause belongs to that clause (mixed or direct)
        for r in {quoted[i] for i in c.content if i in quoted}:
            owner.setdefault(r, c)
    para = [para_of[t.start] if len(t) else -1 for t in region_tokens]
    statements = [r for r, toks in enumerate(region_tokens)  # shorter quoted phrases outside any governed
                  if len(toks) and sum(1 for i in toks if doc[i].is_alpha) >= MIN_QUOTE_WORDS]  # clause: not speech
    for r in statements:  # in reading order: the speaker of a quoted sentence is ...
        if r in owner:
            continue
        toks = region_tokens[r]
        c = _nearest_cue(doc, toks, cues, quoted, para_of, text, after=False)  # ... named in its sentence,
        before = max((k for k in owner if k < r and para[k] == para[r]), default=None)
        if c is None and before is not None and _opens_sentence(doc, toks):
            c = owner[before]  # ... the one of the quotation before it in the paragraph, who goes on,
        if c is None:  # ... or named after it ("“...!” Trump shouted."), or signed ("“...” ― Oscar Quintero")
            c = _nearest_cue(doc, toks, cues, quoted, para_of, text, after=True) or \
                _introducing_verb(doc, toks, quoted, para_of) or _signed(doc, toks, para_of)
        if c is not None:
            if c not in cues:
                cues.append(c)
            owner[r] = c
    for r, toks in enumerate(region_tokens):  # “The plan,” he said, “is dead.”: a short first half is half a quote
        c = owner.get(r + 1)
        if r not in owner and len(toks) and c is not None and toks.stop <= c.cue[0].i < region_tokens[r + 1].start \
                and doc[toks.start].sent == doc[region_tokens[r + 1].start].sent:
            owner[r] = c
    last, last_end = None, -1
    for r, toks in enumerate(region_tokens):  # quoted sentences with no cue: the last speaker goes on
        if len(toks) == 0:
            continue
        if r in owner:
            last, last_end = owner[r], r
            continue
        if last is None or r not in statements or not _opens_sentence(doc, toks) or para[r] - para[last_end] != 1:
            continue
        owner[r] = last = Candidate(last.cue, "quote", last.source)  # the next paragraph: the speaker goes on
        cues.append(last)
        last_end = r
    return owner


def _attribution(doc, text: str, c: Candidate, entities: list[EntityMention], regions: list,
                 quoted: dict[int, int], region_tokens: list[range],
                 model: AttributionModel) -> tuple[QuoteMention, dict] | None:
    """One candidate as a QuoteMention with its features, or None when it says nothing."""
    if not c.content and not c.regions:
        return None
    content = set(c.content)
    for r in c.regions:
        content |= set(region_tokens[r])
    skip = {t.i for t in c.cue} | ({t.i for t in c.source.subtree} if c.source is not None else set())
    skip -= {i for r in c.regions for i in region_tokens[r]}
    fragments = _fragments(doc, content, skip)
    if not fragments:
        return None
    verbatim = [s for r in c.regions for s in regions[r]] + \
        [s for r in {quoted[i] for i in content if i in quoted} - set(c.regions) for s in regions[r]]
    words = [doc[i] for i in content if doc[i].is_alpha]
    if all(t.pos_ == "PRON" for t in words):
        return None  # "praised them": whom, not what
    inside = [t for t in words if t.i in quoted]
    direct = bool(words) and len(inside) == len(words)
    if direct and len(words) < MIN_QUOTE_WORDS:
        return None
    speaker, span = None, None
    if c.source is not None and c.source.lower_ not in NOBODY:
        speaker, span = _name(c.source, entities, fragments[0][0], text)
    speaker_text = None
    if c.source is not None:
        written = [t for t in c.source.subtree if t.i <= c.source.i or t.dep_ in ("compound", "amod", "appos")]
        written = text[written[0].idx: written[-1].idx + len(written[-1])] if written else None
        if written and speaker and written != speaker:
            speaker_text = written
    mention = QuoteMention(
        start=fragments[0][0], end=fragments[-1][1], text=_shown(text, fragments), speaker=speaker,
        speaker_span=span, channel=None, direct=direct, fragments=fragments, verbatim=sorted(set(verbatim)),
        cue=" ".join(t.text for t in c.cue), speaker_text=speaker_text)
    return mention, candidate_features(doc, c, direct, bool(inside), len(words), model)


def _channels(doc, quotes: list[QuoteMention], entities, text) -> None:
    """ "..., he told Yonhap" / "according to state media": the channel that relayed a named speaker's words."""
    for q in quotes:
        if (q.cue or "").lower() == "according to" or q.speaker is None:
            continue
        sent = doc.char_span(q.start, q.end, alignment_mode="expand")
        if sent is None:
            continue
        source = _according_to(sent[0].sent, set())
        if source is not None:
            q.channel = _name(source, entities, q.start, text)[0]


def sentence_voices(doc, entities: list[EntityMention]) -> list[tuple[int, int, str]]:
    """(sentence start, end, name) for each organisation or person a sentence names as the one speaking:
    the subject of a speech verb ("..., the Observatory said") or the source of "according to". Figures in
    that sentence are that voice's figures."""
    speakers = [e for e in entities if e.label in ("PERSON", "ORG")]
    named = {e.entity for e in speakers}
    text = text_of(doc)
    out = []
    for sent in doc.sents:
        verbs = [t for t in sent if t.lemma_.lower() in SPEECH and t.pos_ == "VERB"]
        subjects = [_speaker_of(t, set()) for t in verbs] + [_according_to(sent, set())]
        names = {_name(t, entities, t.idx, text)[0] for t in subjects if t is not None and t.lower_ not in PRONOUNS}
        # a misparse can leave "..., the Observatory said" without a subject: the name right before the verb
        names |= {e.entity for t in verbs for e in speakers
                  if sent.start_char <= e.start and e.end <= t.idx and not text[e.end:t.idx].strip()}
        out += [(sent.start_char, sent.end_char, n) for n in sorted(names & named)]
    return out
