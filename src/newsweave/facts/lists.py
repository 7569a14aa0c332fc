"""Sentences that open with a list rather than a clause: tags, menus, credits or headlines that a crawl
without line breaks ran into the sentence after them ("Tags Syria Idlib gas attack chlorine Observatory
Assad Warplanes carried out ..."). Prose reaches a verb, an article, a preposition or a pronoun within a
few words; a list does not. Over samples of FA-KES, gvc-dev, polnear-dev and the seeds (8,896 sentences),
52 sentences are flagged: tag lists, dated headlines, photo credits, menus; about 6 are prose with a long
titled subject ("Russian Defense Ministry spokesman Maj. Gen. Igor Konashenkov stated ..."), which only the
summary passes over (benchmarks/summary_page_text.py)."""
from __future__ import annotations

SYNTAX = {"VERB", "AUX", "DET", "ADP", "PRON", "SCONJ", "CCONJ", "PART"}  # what a clause has early on
LIST_WORDS = 8  # words without any of those that make an opening a list


def list_openings(doc) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a parsed text that opens with LIST_WORDS words none of which is
    a verb or a function word. A dash or colon starts the count again: a dateline ("Pyongyang, North Korea –
    December 14, 2025 :") is no list, and what follows it is read as the sentence's opening."""
    out = []
    for sent in doc.sents:
        words = 0
        for token in sent:
            spaced_hyphen = token.text == "-" and token.i > 0 and bool(doc[token.i - 1].whitespace_)
            if token.text in ("–", "—", ":") or spaced_hyphen:
                words = 0
                continue
            if token.is_punct or token.is_space:
                continue
            if token.pos_ in SYNTAX:
                break
            words += 1
            if words >= LIST_WORDS:
                out.append((sent.start_char, sent.end_char))
                break
    return out
