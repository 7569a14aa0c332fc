"""Following sources: fetch URLs, feeds and sitemaps, and turn what they list into documents to ingest.

`fetch_documents` serves a one-off `ingest URL`; `FetchRound` does one round over the store's subscriptions:
fetch each listing that is due (conditionally), record the items it lists, fetch the page behind every
new item (each page once, however many listings name it) and hand the documents on to be ingested. A
listing that fails is tried again later, after a delay that doubles with each failure; an item whose page
fails is tried again next round, up to `Options.max_item_attempts` times. The store records every step, so
a round that is killed loses nothing and fetches no stored page again.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsweave.alerts import Alert, dossier_alerts, source_alerts
from newsweave.ingest.decode import BadInput, decode_html, read_bytes
from newsweave.ingest.fetch import Fetcher, FetchError, Response, is_url
from newsweave.ingest.listings import LISTING_TAGS, BadListing, ListedItem, Listing, first_tag, parse_listing
from newsweave.ingest.readers import item_record, record_to_document, too_short
from newsweave.options import Options
from newsweave.outlets import host_of
from newsweave.pipeline import IngestReport, Progress, ingest_items
from newsweave.records import InputError, RawDocument
from newsweave.store import Store
from newsweave.store.store import root_of

if TYPE_CHECKING:
    from newsweave.api import Newsweave

log = logging.getLogger(__name__)
MAX_CHILD_LISTINGS = 50  # sitemaps read from one sitemap index
MAX_BACKOFF = timedelta(days=1)
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str) -> str:
    """The form a page is known by: no fragment, no tracking parameters, host in lower case."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(TRACKING)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def item_document(item: ListedItem, listing_title: str | None, page: Response | None, source: str,
                  limit: int) -> RawDocument | str:
    """The article behind a listed item: its page when fetched, else the text the listing gives; the
    item's title, date and author ride along. A string says why there is none."""
    outlet = listing_title or host_of(item.link)
    if page is not None:
        try:
            return RawDocument(source=page.url, kind="html", content=decode_html(page.body), url=page.url,
                               title=item.title, outlet=outlet, published=item.published, author=item.author,
                               external_id=item.key)
        except BadInput as e:
            return str(e)
    if item.link and not item.full:
        return "page not fetched, and the feed gives a summary only"
    if too_short(item.content):
        return "item gives a headline only" + ("" if item.link else ", and no link")
    doc = record_to_document(item_record(item, outlet), source, limit)
    return doc.reason if isinstance(doc, InputError) else doc


def fetch_all(fetcher: Fetcher, urls: list[str], threads: int,
              fetch: Callable[[str], Response] | None = None) -> dict[str, Response | FetchError]:
    """Fetch many URLs, several hosts at once (the fetcher keeps one request per host at a time)."""
    fetch = fetch or fetcher.get
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        by_host[urlsplit(url).netloc.lower()].append(url)

    def run(host_urls: list[str]) -> list[tuple[str, Response | FetchError]]:
        out = []
        for url in host_urls:
            try:
                out.append((url, fetch(url)))
            except FetchError as e:
                out.append((url, e))
        return out

    results: dict[str, Response | FetchError] = {}
    with ThreadPoolExecutor(max(1, min(threads, len(by_host)))) as pool:
        for done in pool.map(run, by_host.values()):
            results.update(done)
    return results


def read_listing(fetcher: Fetcher, response: Response) -> Listing:
    """Parse a fetched listing; a sitemap index's sitemaps are fetched and their items joined."""
    listing = parse_listing(response.body, response.url)
    if listing.kind == "sitemap" and listing.listings:
        children = fetch_all(fetcher, listing.listings[:MAX_CHILD_LISTINGS], fetcher.options.fetch_hosts)
        for url, child in children.items():
            try:
                if isinstance(child, FetchError):
                    raise child
                listing.items += parse_listing(child.body, child.url).items
            except (FetchError, BadListing) as e:
                listing.warning = f"sitemap {url[:200]}: {e}"
    return listing


def is_page(response: Response) -> bool:
    """An article page rather than a listing: served as HTML, or starting as HTML does."""
    tag = first_tag(response.body)
    if tag in LISTING_TAGS:
        return False
    return "html" in response.content_type.lower() and "xml" not in response.content_type.lower() or tag == "html"


def fetch_documents(urls: Iterable[str], options: Options) -> Iterator[RawDocument | InputError]:
    """`ingest URL`: a page is one document; a feed or sitemap gives the pages of its items."""
    with Fetcher(options) as fetcher:
        for url, got in fetch_all(fetcher, list(urls), options.fetch_hosts).items():
            if isinstance(got, FetchError):
                yield InputError(url, str(got))
                continue
            if is_page(got):
                try:
                    yield RawDocument(source=got.url, kind="html", content=decode_html(got.body), url=got.url,
                                      outlet=host_of(got.url))
                except BadInput as e:
                    yield InputError(url, str(e))
                continue
            try:
                listing = read_listing(fetcher, got)
            except BadListing as e:
                yield InputError(url, str(e))
                continue
            if listing.warning:
                yield InputError(url, listing.warning)
            if listing.kind == "opml":
                yield InputError(url, f"an OPML list of {len(listing.listings)} feeds: follow them with "
                                      "`newsweave follow --opml`")
                continue
            links = [canonical_url(i.link) for i in listing.items if i.link]
            pages = fetch_all(fetcher, links, options.fetch_hosts)
            for n, item in enumerate(listing.items, start=1):
                page = pages.get(canonical_url(item.link)) if item.link else None
                doc = item_document(item, listing.title, page if isinstance(page, Response) else None, f"{url}#{n}",
                                    options.max_input_bytes)
                if isinstance(doc, str):
                    reason = str(page) if isinstance(page, FetchError) else doc
                    yield InputError(item.link or f"{url}#{n}", reason)
                else:
                    yield doc


@dataclass
class RoundReport:
    listings_due: int = 0
    listings_unchanged: int = 0
    listings_failed: int = 0
    items_new: int = 0
    pages_fetched: int = 0
    documents: list[RawDocument] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # (subscription id, item key, page url or None, article id or None, state, error or None); state is
    # "stored" (the page was stored before), "made" (a document to ingest), "failed" (try again) or "rejected"
    outcomes: list[tuple[int, str, str | None, str | None, str, str | None]] = field(default_factory=list)


class FetchRound:
    def __init__(self, store: Store, options: Options, fetcher: Fetcher, every: timedelta,
                 now: datetime | None = None):
        self.store, self.options, self.fetcher, self.every = store, options, fetcher, every
        self.now = now or datetime.now(timezone.utc)

    def fetch(self) -> RoundReport:
        """Fetch the due listings and the new pages; the documents are in the report, not ingested yet."""
        report = RoundReport()
        self._listings(report)
        self._pages(report)
        return report

    def _listings(self, report: RoundReport) -> None:
        due = self.store.subscriptions(due_at=_iso(self.now))
        report.listings_due = len(due)
        by_url = {s.url: s for s in due}

        def conditional(url: str) -> Response:
            sub = by_url[url]
            return self.fetcher.get(url, sub.etag, sub.last_modified)

        results = fetch_all(self.fetcher, list(by_url), self.options.fetch_hosts, conditional)
        now = _iso(self.now)
        for url, got in results.items():
            sub = by_url[url]
            try:
                if isinstance(got, FetchError):
                    raise got
                if got.not_modified:
                    report.listings_unchanged += 1
                    self.store.record_fetch(sub.id, now, _iso(self.now + self.every))
                    continue
                listing = read_listing(self.fetcher, got)
                if listing.kind == "opml":
                    raise BadListing("an OPML list of feeds, not a feed: follow it with `newsweave follow --opml`")
            except (FetchError, BadListing) as e:
                report.listings_failed += 1
                report.errors.append(InputError(url, str(e)))
                wait = min(self.every * 2 ** min(sub.failures + 1, 10), max(MAX_BACKOFF, self.every))
                self.store.record_fetch(sub.id, now, _iso(self.now + wait), error=str(e))
                continue
            if listing.warning:
                report.errors.append(InputError(url, listing.warning))
            rows = [(i.key, i.link, i.title, i.published, i.author, i.content[: self.options.max_input_bytes], i.full)
                    for i in listing.items]
            report.items_new += self.store.record_fetch(
                sub.id, now, _iso(self.now + self.every), kind=listing.kind, title=listing.title, etag=got.etag,
                last_modified=got.last_modified, items=rows)

    def _pages(self, report: RoundReport) -> None:
        pending = self.store.pending_items(self.options.max_item_attempts, self.options.max_pages_per_round)
        urls = {id(i): canonical_url(i.link) for i in pending if i.link}
        stored = self.store.pages_stored(urls.values())
        to_fetch = [u for u in dict.fromkeys(urls.values()) if u not in stored]
        pages = fetch_all(self.fetcher, to_fetch, self.options.fetch_hosts)
        report.pages_fetched = sum(isinstance(p, Response) for p in pages.values())
        made: dict[str, RawDocument] = {}  # canonical url -> document: a page two items name is one document
        for item in pending:
            url = urls.get(id(item))
            if url in stored:
                report.outcomes.append((item.subscription_id, item.key, url, stored[url], "stored", None))
                continue
            page = pages.get(url) if url else None
            if isinstance(page, FetchError) and not page.lasting and item.attempts + 1 < self.options.max_item_attempts:
                report.errors.append(InputError(item.link, f"{page} (tried again next round)"))
                report.outcomes.append((item.subscription_id, item.key, url, None, "failed", str(page)))
                continue  # the page may come next round; the feed's own text is the last resort
            listed = ListedItem(item.key, item.link, item.title, item.published, item.author, item.content, item.full)
            doc = made.get(url) if url else None
            if doc is None:
                doc = item_document(listed, item.outlet, page if isinstance(page, Response) else None,
                                    f"{item.link or item.listing_url}#{item.key}"[:500], self.options.max_input_bytes)
            if isinstance(doc, str):
                reason = f"{page}; {doc}" if isinstance(page, FetchError) else doc
                report.errors.append(InputError(item.link or f"{item.listing_url} item {item.key[:80]!r}", reason))
                report.outcomes.append((item.subscription_id, item.key, url, None, "rejected", reason))
                continue
            if url and url not in made:
                made[url] = doc
                report.documents.append(doc)
            elif not url:
                report.documents.append(doc)
            report.outcomes.append((item.subscription_id, item.key, url if isinstance(page, Response) else None,
                                    doc.article_id, "made", None))


def listed_feeds(opml: str | Path, options: Options) -> tuple[list[str], InputError | None]:
    """The feeds an OPML file (or URL) lists."""
    name = str(opml)
    try:
        if is_url(name):
            with Fetcher(options) as fetcher:
                body = fetcher.get(name).body
        else:
            body = read_bytes(Path(opml), options.max_input_bytes)
        listing = parse_listing(body)
        if listing.kind != "opml":
            raise BadListing(f"an {listing.kind} listing, not an OPML list of feeds")
    except (BadInput, FetchError, OSError) as e:
        return [], InputError(name, str(e) if not isinstance(e, OSError) else f"cannot read ({e.strerror or e})")
    return listing.listings, InputError(name, listing.warning) if listing.warning else None


@dataclass
class FetchReport:
    round: RoundReport
    ingest: IngestReport
    alerts: list[Alert]
    stories_changed: list[int]
    seconds: dict[str, float] = field(default_factory=dict)  # fetch, ingest, dossiers (and alerts)

    @property
    def errors(self) -> list[InputError]:
        return self.round.errors + self.ingest.errors


def run_round(nw: Newsweave, every: timedelta, now: datetime | None, progress: Progress | None) -> FetchReport:
    """Fetch, ingest, mark each item with what became of it, rebuild the dossiers changed, raise alerts."""
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return round(clock[-1] - clock[-2], 3)

    with Fetcher(nw.options) as fetcher:
        fetched = FetchRound(nw.store, nw.options, fetcher, every, now).fetch()
    seconds = {"fetch": lap()}
    nw.store.record_pages([(url, aid) for _, _, url, aid, state, _ in fetched.outcomes if state == "made" and url])
    report = ingest_items(nw.store, fetched.documents, nw.options, progress)
    refused = {e.source: e.reason for e in report.errors}
    stored = nw.store.existing_ids(d.article_id for d in fetched.documents)
    by_id = {d.article_id: d for d in fetched.documents}
    settled = []
    for sid, key, url, article_id, state, error in fetched.outcomes:
        if state == "made":
            doc = by_id[article_id]
            if article_id in stored:
                state, error = "stored", None
            else:
                state, error, article_id = "rejected", refused.get(doc.source, "not stored"), None
        settled.append((sid, key, state, article_id, error))
    nw.store.settle_items(settled)
    seconds["ingest"] = lap()
    added = [d.article_id for d in fetched.documents if d.article_id in stored]
    changed = sorted({sid for _, sid, _ in nw.store.placed(added)})
    alerts = _alerts(nw, changed, set(added))
    nw.store.add_alerts([(a.story_id, a.kind, a.to_dict()) for a in alerts])
    seconds["dossiers_and_alerts"] = lap()
    return FetchReport(fetched, report, alerts, changed, seconds)


def _alerts(nw: Newsweave, story_ids: list[int], added: set[str]) -> list[Alert]:
    """Alerts for the stories new articles joined; their dossiers are rebuilt here, after the old ones are read."""
    before = {sid: nw.cached_dossier(sid)[0] for sid in story_ids}
    nw.build_dossiers(story_ids)
    alerts: list[Alert] = []
    for sid in story_ids:
        story = nw.story(sid)
        members = nw.store.articles("story_id=?", (sid,), raw=False)  # the raw pages are not needed
        if all(a.id in added for a in members):
            continue  # a story the round opened: nothing was there to change
        links = nw.store.copy_links_for([a.id for a in members])
        roots = {root_of(a.id, links) for a in members}
        old_roots = {root_of(a.id, links) for a in members if a.id not in added}
        by_id = {a.id: a for a in members}
        alerts += source_alerts(sid, story.title, [by_id[r] for r in sorted(roots - old_roots) if r in by_id])
        alerts += dossier_alerts(sid, story.title, before[sid], nw.dossier(sid), by_id)
    return alerts
