"""Quotes and attributed claims, each with its speaker and, when the article names one, the channel.

A quotation is text inside quotation marks (whole sentences or a few words inside a sentence); its speaker is
the subject of the nearest speech verb outside the marks ("Mr. Kim said", "He praised them, saying"), a
pronoun resolved to the last person named, or the source of "according to X". Reported speech without marks
("X said that ...") is kept as a claim.
"""
from __future__ import annotations

import re

from newsweave.facts.entities import PRONOUNS, resolve_pronoun
from newsweave.facts.nlp import text_of
from newsweave.records import EntityMention, QuoteMention

QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|‘([^’\n]{12,})’(?!\w)")
SPEECH = {"say", "tell", "add", "state", "remark", "note", "write", "announce", "declare", "claim", "insist",
          "warn", "explain", "ask", "reply", "describe", "call", "praise", "stress", "emphasize", "emphasise",
          "vow", "pledge", "urge", "acknowledge", "confirm", "deny", "report", "tweet", "post", "quote", "thank"}
MIN_WORDS = 3


def _speaker_of(verb, inside) -> object | None:
    """The subject of a speech verb, climbing from "saying" to the verb it hangs on."""
    tok = verb
    for _ in range(3):
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside]
        if subj:
            return subj[0]
        if tok.dep_ in ("advcl", "xcomp", "conj", "ccomp", "parataxis") and tok.head is not tok:
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
    if tok.pos_ == "PRON":
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
                not text[e.end: e.end + 2] in ("'s", "’s"):
            return e.entity, (e.start, e.end)
    return text[start:end], (start, end)


def extract_quotes(doc, entities: list[EntityMention]) -> list[QuoteMention]:
    text = text_of(doc)
    out: list[QuoteMention] = []
    quoted_sentences = set()
    for m in QUOTE.finditer(text):
        group = next(i for i in (1, 2, 3) if m.group(i))
        q_start, q_end = m.start(group), m.end(group)
        body = m.group(group).strip(" ,.")
        if len(body.split()) < MIN_WORDS:
            continue
        first = doc.char_span(q_start, q_end, alignment_mode="expand")
        if first is None:
            continue
        inside = set(range(first.start, first.end))
        sents = {first[0].sent, first[-1].sent}
        after = doc.char_span(m.end(), min(m.end() + 1, len(text)), alignment_mode="expand")
        if after is not None and len(after):
            sents.add(after[0].sent)
        quoted_sentences |= {s.start for s in sents}
        verbs = [t for s in sents for t in s if t.lemma_.lower() in SPEECH and t.i not in inside and t.pos_ == "VERB"]
        speaker, span = None, None
        channel_tok = None
        for s in sents:
            channel_tok = channel_tok or _according_to(s, inside)
        if verbs:
            verb = min(verbs, key=lambda t: min(abs(t.i - first.start), abs(t.i - first.end)))
            subj = _speaker_of(verb, inside)
            if subj is not None:
                speaker, span = _name(subj, entities, q_start, text)
        channel = _name(channel_tok, entities, q_start, text)[0] if channel_tok is not None else None
        if speaker is None and channel_tok is not None:
            speaker, span, channel = *_name(channel_tok, entities, q_start, text), None
        if speaker is None and out and q_start - out[-1].end < 250 and "\n" not in text[out[-1].end:q_start]:
            speaker, span, channel = out[-1].speaker, out[-1].speaker_span, out[-1].channel  # quote goes on
        out.append(QuoteMention(q_start, q_end, text[q_start:q_end], speaker, span, channel, True))
    for sent in doc.sents:  # reported speech: "X said (that) ..." with no quotation marks
        if sent.start in quoted_sentences:
            continue
        for verb in sent:
            if verb.lemma_.lower() not in ("say", "tell", "claim", "warn", "announce") or verb.pos_ != "VERB":
                continue
            clause = [c for c in verb.children if c.dep_ == "ccomp"]
            subj = _speaker_of(verb, set())
            if not clause or subj is None:
                continue
            words = sorted(clause[0].subtree, key=lambda t: t.i)
            if len(words) < 4:
                continue
            if subj.lower_ in ("it", "they", "we", "you", "i", "this", "that"):
                continue  # an unnamed speaker says nothing checkable
            speaker, span = _name(subj, entities, words[0].idx, text)
            start, end = words[0].idx, words[-1].idx + len(words[-1])
            out.append(QuoteMention(start, end, text[start:end], speaker, span, None, False))
    return out


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
