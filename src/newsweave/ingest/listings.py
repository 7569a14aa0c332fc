"""Listings: what a feed (RSS, Atom), a news sitemap or an OPML file lists, as plain records.

A listing names articles (items with a link, and for feeds often their title, date, author and text) or
other listings (an OPML list of feeds, a sitemap index). A feed with an XML error after some items keeps
the items read before it and says so in `warning`; a body that is no listing raises BadListing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from newsweave.ingest.decode import BadInput

MAX_ITEMS = 200_000
LISTING_TAGS = ("rss", "feed", "rdf", "channel", "urlset", "sitemapindex", "opml")  # first elements of listings
_TAG = re.compile(rb"<\s*([A-Za-z][\w:.-]*)")
_FEED_LINK = re.compile(r"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


class BadListing(BadInput):
    """Not a feed, sitemap or OPML file, with a one-line reason."""


@dataclass
class ListedItem:
    key: str  # what identifies the item within its listing: its guid, else its link
    link: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date
    author: str | None = None
    content: str = ""  # HTML the listing itself gives (a feed's full text or summary)
    full: bool = False  # `content` is the article's text (content:encoded, Atom content), not a summary


@dataclass
class Listing:
    kind: str  # "rss", "atom", "sitemap", "opml"
    title: str | None = None
    link: str | None = None  # the site the listing belongs to
    items: list[ListedItem] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)  # further listings: an OPML file's feeds, a sitemap index's
    warning: str | None = None


def first_tag(body: bytes) -> str:
    """The first element's local name, past the XML declaration, comments and a byte-order mark."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", body[:4096], flags=re.S)
    m = _TAG.search(head.replace(b"\x00", b""))
    return m.group(1).decode("ascii", "replace").split(":")[-1].lower() if m else ""


def parse_listing(body: bytes, base_url: str = "") -> Listing:
    tag = first_tag(body)
    if tag in ("urlset", "sitemapindex"):
        return _sitemap(body)
    if tag == "opml":
        return _opml(body)
    if tag == "html":
        found = [m for m in (_HREF.search(link) for link in _FEED_LINK.findall(body[:200_000].decode("utf-8", "replace")))
                 if m]
        hint = f" (it names a feed: {found[0].group(1)[:200]})" if found else ""
        raise BadListing(f"an HTML page, not a feed{hint}")
    return _feed(body)


def _feed(body: bytes) -> Listing:
    import feedparser

    feed = feedparser.parse(body)
    why = f"{type(feed.bozo_exception).__name__}: {str(feed.bozo_exception)[:120]}" if feed.get("bozo") else ""
    if not feed.entries:
        if feed.get("version"):
            return Listing(_kind(feed.version), feed.feed.get("title"), feed.feed.get("link"),
                           warning=f"feed is malformed ({why})" if why else None)
        raise BadListing(f"not an RSS or Atom feed{f' ({why})' if why else ''}")
    items = [i for i in (_item(entry) for entry in feed.entries[:MAX_ITEMS]) if i.key]  # an empty stub names nothing
    warning = None
    if why and "CharacterEncoding" not in why:
        warning = f"feed is malformed ({why}); items read before the error: {len(items)}"
    elif why:
        warning = f"feed's encoding is wrong or unknown ({why}); read as {feed.get('encoding') or 'UTF-8'}"
    return Listing(_kind(feed.get("version", "")), feed.feed.get("title"), feed.feed.get("link"), items,
                   warning=warning)


def _kind(version: str) -> str:
    return "atom" if version.startswith("atom") else "rss"


def _item(entry) -> ListedItem:
    content = entry.get("content") or []
    full = max((c.get("value") or "" for c in content), key=len, default="")
    body = full or entry.get("summary") or ""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    link = entry.get("link") or None
    return ListedItem(
        key=(entry.get("id") or link or entry.get("title") or body[:200]).strip(), link=link,
        title=entry.get("title") or None,
        published=f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}" if parsed else None,
        author=entry.get("author") or None, content=body, full=bool(full.strip()))


def _xml(body: bytes, what: str):
    try:
        return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)), None
    except etree.XMLSyntaxError as e:
        root = etree.fromstring(body, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
        if root is None:
            raise BadListing(f"broken {what} ({e})") from None
        return root, f"{what} is malformed ({e}); what was read before the error is kept"


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, name: str) -> list:
    return [c for c in element if _local(c) == name]


def _text(element, *path: str) -> str | None:
    for name in path:
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    return (element.text or "").strip() or None


def _sitemap(body: bytes) -> Listing:
    root, warning = _xml(body, "sitemap")
    if _local(root) == "sitemapindex":
        return Listing("sitemap", listings=[loc for s in _children(root, "sitemap") if (loc := _text(s, "loc"))],
                       warning=warning)
    items = []
    for url in _children(root, "url")[:MAX_ITEMS]:
        loc = _text(url, "loc")
        if not loc:
            continue
        date = _text(url, "news", "publication_date") or _text(url, "lastmod")
        items.append(ListedItem(loc, loc, _text(url, "news", "title"), date[:10] if date else None))
    return Listing("sitemap", items=items, warning=warning)


def _opml(body: bytes) -> Listing:
    root, warning = _xml(body, "OPML file")
    feeds = [o.get("xmlUrl") for o in root.iter() if _local(o) == "outline" and o.get("xmlUrl")]
    title = next((t.text for t in root.iter() if _local(t) == "title" and t.text), None)
    if not feeds:
        raise BadListing("OPML file lists no feed (no outline with an xmlUrl)")
    return Listing("opml", title, listings=feeds, warning=warning)
