"""Readers: each knows one input format and yields RawDocument or InputError, never raises on bad input."""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from newsweave.ingest.decode import BadInput, decode_html, decode_text, looks_binary, read_bytes
from newsweave.ingest.listings import ListedItem, parse_listing
from newsweave.outlets import host_of
from newsweave.records import InputError, RawDocument
from newsweave.tokens import has_letters

Item = RawDocument | InputError
JSON_FILE_LIMIT = 4 << 30


class Reader(Protocol):
    name: str

    def accepts(self, path: Path) -> bool: ...

    def read(self, path: Path, limit: int) -> Iterator[Item]: ...


def _stream_lines(path: Path) -> Iterator[tuple[int, str | BadInput]]:
    """(line number, text) of a JSON-lines file (gzipped or not), one line at a time; a line that is not
    UTF-8 comes as BadInput, for that line alone. A whole file that is binary, empty, UTF-16 (which has no
    lines of bytes), a broken gzip or a gzip bomb raises BadInput."""
    if path.stat().st_size == 0:
        raise BadInput("empty file")
    with open(path, "rb") as raw:
        head = raw.read(2)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decoded whole
        yield from enumerate(decode_text(read_bytes(path, JSON_FILE_LIMIT)).splitlines(), start=1)
        return
    opener = gzip.open if path.name.endswith(".gz") else open
    total = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, line in enumerate(fh, start=1):
                total += len(line)
                if total > JSON_FILE_LIMIT:
                    raise BadInput(f"over {JSON_FILE_LIMIT / 2**30:.0f} GiB of records (stopped reading there)")
                if lineno == 1:
                    if looks_binary(line[:8192]):
                        raise BadInput("binary content, not text")
                    line = line.removeprefix(b"\xef\xbb\xbf")
                try:
                    yield lineno, line.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as e:
                    yield lineno, BadInput(f"not valid UTF-8 (byte 0x{line[e.start]:02x} at column {e.start + 1})")
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise BadInput(f"broken or truncated gzip ({e}); the records before it were read") from None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


class TextReader:
    name = "text"

    def accepts(self, path: Path) -> bool:
        return _suffix(path).endswith(".txt")

    def read(self, path: Path, limit: int) -> Iterator[Item]:
        try:
            text = decode_text(read_bytes(path, limit))
        except BadInput as e:
            yield InputError(str(path), str(e))
            return
        if not text.strip():
            yield InputError(str(path), "empty file")
            return
        yield RawDocument(source=str(path), kind="text", content=text)


class HtmlReader:
    name = "html"

    def accepts(self, path: Path) -> bool:
        return _suffix(path).endswith((".html", ".htm"))

    def read(self, path: Path, limit: int) -> Iterator[Item]:
        try:
            html = decode_html(read_bytes(path, limit))
        except BadInput as e:
            yield InputError(str(path), str(e))
            return
        yield RawDocument(source=str(path), kind="html", content=html)


MIN_LETTERS = 20  # fewer letters than this is no article ("x", a stray heading)


def few_letters(text: str, head: int = 10_000) -> bool:
    """Too few letters in the text's first `head` characters to be an article."""
    return not has_letters(text[:head], MIN_LETTERS)
MAX_RECORDS = 200_000  # records read from one JSON file; more is an error, not millions of articles
MAX_BAD_RECORDS = 1000  # past this many bad records, a file is given up (one line says so)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _why(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    return str(e).split(";")[0][:120]


def record_to_document(obj: object, source: str, limit: int) -> Item:
    """One JSON object -> RawDocument. Needs `text` or `html`; other fields are optional metadata."""
    if not isinstance(obj, dict):
        return InputError(source, f"expected a JSON object, got {type(obj).__name__}")
    html, text = obj.get("html"), obj.get("text")
    body, kind = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(body, str) or not body.strip():
        return InputError(source, "record has no 'text' or 'html'")
    if len(body) > limit:
        return InputError(source, f"record is {len(body) / 1e6:.1f} MB, over the limit")
    if few_letters(body):
        return InputError(source, f"record's text is too short (an article needs at least {MIN_LETTERS} letters)")
    for name in ("text", "html", "title", "url", "outlet", "author", "published", "id"):
        value = obj.get(name)
        if isinstance(value, str) and (lone := _SURROGATE.search(value)):
            return InputError(source, f"'{name}' holds an unpaired surrogate (\\u{ord(lone.group()):04x}),"
                                      " which is no text")

    def field(name: str) -> str | None:
        value = obj.get(name)
        return str(value) if value not in (None, "") else None

    url = field("url")
    return RawDocument(
        source=source, kind=kind, content=body, title=field("title"), url=url,
        outlet=field("outlet") or host_of(url), published=field("published"),
        author=field("author"), external_id=field("id"),
    )


class JsonReader:
    """.jsonl: one object per line. .json: one object, an array of objects, or JSON lines."""

    name = "json"

    def accepts(self, path: Path) -> bool:
        return _suffix(path).endswith((".json", ".jsonl", ".ndjson"))

    def read(self, path: Path, limit: int) -> Iterator[Item]:
        if not _suffix(path).endswith(".json"):  # JSON lines: read line by line, never the whole file at once
            try:
                yield from self._lines(path, _stream_lines(path), limit)
            except BadInput as e:
                yield InputError(str(path), str(e))
            return
        try:
            data = read_bytes(path, JSON_FILE_LIMIT)  # a JSONL file holds many articles: `limit` is per record
            text = decode_text(data)
        except BadInput as e:
            yield InputError(str(path), str(e))
            return
        if _suffix(path).endswith(".json"):
            try:
                whole = json.loads(text)
            except json.JSONDecodeError:
                whole = None  # may still be JSON lines under a .json name
            except (ValueError, RecursionError) as e:  # a 5,000-digit number, nesting 100,000 deep
                yield InputError(str(path), f"unreadable JSON ({_why(e)})")
                return
            if whole == [] or whole == {}:
                yield InputError(str(path), "no records (an empty JSON array or object)")
                return
            if isinstance(whole, list) and len(whole) > MAX_RECORDS:
                yield InputError(str(path), f"{len(whole)} records, over the limit of {MAX_RECORDS} for one file")
                return
            if whole is not None:
                items = whole if isinstance(whole, list) else [whole]
                for i, obj in enumerate(items):
                    yield record_to_document(obj, f"{path}[{i}]" if isinstance(whole, list) else str(path), limit)
                return
        yield from self._lines(path, enumerate(text.splitlines(), start=1), limit)

    @staticmethod
    def _lines(path: Path, lines: Iterable[tuple[int, str | BadInput]], limit: int) -> Iterator[Item]:
        records = errors = 0
        for lineno, line in lines:
            if isinstance(line, BadInput):
                errors += 1
                yield InputError(f"{path}:{lineno}", str(line))
                continue
            if errors > MAX_BAD_RECORDS:
                yield InputError(str(path), f"more than {MAX_BAD_RECORDS} bad records: the rest of the file is not read")
                return
            if not line.strip():
                continue
            records += 1
            if records > MAX_RECORDS:
                yield InputError(f"{path}:{lineno}", f"over the limit of {MAX_RECORDS} records for one file: "
                                                     "the rest of the file is not read")
                return
            source = f"{path}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors += 1
                yield InputError(source, f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            except (ValueError, RecursionError) as e:
                errors += 1
                yield InputError(source, f"unreadable JSON ({_why(e)})")
                continue
            item = record_to_document(obj, source, limit)
            errors += isinstance(item, InputError)
            yield item
        if records == 0 and errors == 0:
            yield InputError(str(path), "no records (only blank lines)")


class WarcReader:
    """WARC responses (HTML) and WET conversions (text), e.g. Common Crawl news."""

    name = "warc"

    def accepts(self, path: Path) -> bool:
        return _suffix(path).endswith((".warc", ".wet", ".arc")) or _suffix(path).endswith(".warc.wet")

    def read(self, path: Path, limit: int) -> Iterator[Item]:
        from warcio.archiveiterator import ArchiveIterator
        try:
            if path.stat().st_size == 0:
                raise BadInput("empty file")
            stream = io.BytesIO(path.read_bytes())
        except (BadInput, OSError) as e:
            yield InputError(str(path), str(e))
            return
        records = ArchiveIterator(stream)
        seen = given = 0
        while True:
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # warcio's warnings quote record content
                    record = next(records)
                    item = self._document(record, limit)
            except StopIteration:
                if seen == 0:
                    yield InputError(str(path), "no WARC record found (not a WARC or WET file, or an empty one)")
                elif given == 0:
                    yield InputError(str(path), f"no article in {seen} record(s): none is an HTML response or a "
                                                "text conversion")
                return
            except Exception as e:  # warcio raises many kinds (ArchiveLoadFailed, ValueError, AttributeError...)
                # A broken record leaves the stream without a reliable next boundary: stop this file here.
                reason = str(e).strip().splitlines()[0].split(", first line")[0][:160] if str(e).strip() \
                    else type(e).__name__  # warcio quotes the bytes it could not read: left out
                yield InputError(f"{path}@{records.offset}", f"malformed WARC record ({reason}); the rest of the "
                                                             "file is not read")
                return
            seen += 1
            if record.format == "arc" and not _suffix(path).endswith(".arc"):
                yield InputError(str(path), "not a WARC file (its first line is no WARC header)")
                return
            given += item is not None
            if isinstance(item, InputError):
                item = InputError(f"{path} {item.source}", item.reason)  # the record id alone names no file
            if item is not None:
                yield item

    @staticmethod
    def _document(record, limit: int) -> Item | None:
        headers = record.rec_headers
        rtype = record.rec_type
        record_id = headers.get_header("WARC-Record-ID") or "?"
        url = headers.get_header("WARC-Target-URI")
        if rtype == "response":
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in ctype.lower():
                return None
            kind = "html"
        elif rtype in ("conversion", "resource"):
            kind = "text"
        else:
            return None
        data = record.content_stream().read(limit + 1)
        if len(data) > limit:
            return InputError(record_id, "record over the size limit")
        if not data.strip():
            return None
        try:
            content = decode_html(data) if kind == "html" else decode_text(data)
        except BadInput as e:
            return InputError(record_id, str(e))
        return RawDocument(source=record_id, kind=kind, content=content, url=url, outlet=host_of(url))


def too_short(html: str) -> bool:
    return few_letters(re.sub(r"<[^>]*>", " ", html[:20_000]), head=20_000)


def item_record(item: ListedItem, outlet: str | None) -> dict:
    """A listed item as a JSON-style record: the text the listing gives, with the item's metadata."""
    return {"html": f"<html><body><article>{item.content}</article></body></html>" if item.content.strip() else "",
            "title": item.title, "url": item.link, "outlet": outlet, "author": item.author, "id": item.key,
            "published": item.published}


class FeedReader:
    """RSS and Atom feeds (feedparser): one article per item, its content (or summary) as HTML, with the
    item's title, link, date and author and the feed's title as outlet. An item with too little text (a
    feed that gives headlines only) is reported like any record too short."""

    name = "feed"

    def accepts(self, path: Path) -> bool:
        return _suffix(path).endswith((".rss", ".atom", ".xml"))

    def read(self, path: Path, limit: int) -> Iterator[Item]:
        try:
            listing = parse_listing(read_bytes(path, limit))
        except BadInput as e:
            yield InputError(str(path), str(e))
            return
        if listing.kind == "opml":
            yield InputError(str(path), f"an OPML list of {len(listing.listings)} feeds: follow them with "
                                        "`newsweave follow --opml FILE`")
            return
        if listing.kind == "sitemap":
            yield InputError(str(path), "a sitemap lists pages, not their text: give its URL to `newsweave ingest` "
                                        "to fetch them")
            return
        if listing.warning:
            yield InputError(str(path), listing.warning)
        if not listing.items:
            yield InputError(str(path), "feed has no items")
        outlet = listing.title or host_of(listing.link)
        for n, item in enumerate(listing.items, start=1):
            if too_short(item.content):
                yield InputError(f"{path}:{n}", "item's text is too short: the feed gives a headline, not the article")
                continue
            yield record_to_document(item_record(item, outlet), f"{path}:{n}", limit)


READERS: list[Reader] = [TextReader(), HtmlReader(), JsonReader(), WarcReader(), FeedReader()]


def reader_for(path: Path) -> Reader | None:
    return next((r for r in READERS if r.accepts(path)), None)


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Expand files and directories (recursively, in a stable order) into the files to read.

    Inside a directory, files no reader accepts (a README, an image) are passed over; a file named
    explicitly must be readable, or it is reported."""
    if isinstance(paths, (str, Path)):  # one path given on its own, not a list of them
        paths = [paths]
    for p in paths:
        path = Path(p)
        try:
            if path.is_dir():
                # sources are absolute paths: the folder is resolved once, and only links among its files again
                yield from _walk(path.resolve())
            elif path.is_file():
                yield path.resolve()
            else:
                yield InputError(str(path), _missing(path))
        except OSError as e:
            yield InputError(str(path), f"cannot read ({e.strerror or e})")


def _missing(path: Path) -> str:
    if path.is_symlink():
        return "a link to nothing (dangling) or a link loop"
    if path.exists():
        return "not a regular file (a pipe, socket or device)"
    return "no such file or directory"


def _walk(folder: Path, seen: set[Path] | None = None) -> Iterator[Path | InputError]:
    """Files under a folder in a stable order. Entries that cannot be listed or read, links to nothing,
    link loops and special files are reported, one line each; hidden files and files no reader accepts
    (a README, an image) are passed over. A linked folder is followed once."""
    seen = seen if seen is not None else set()
    real = folder.resolve()
    if real in seen:
        yield InputError(str(folder), "a folder reached a second time through a link (a loop): not read again")
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        yield InputError(str(folder), f"cannot list folder ({e.strerror or e})")
        return
    for child in entries:
        if child.name.startswith("."):
            continue
        try:
            if child.is_dir():
                yield from _walk(child, seen)
            elif child.is_file():
                if reader_for(child) is not None:
                    yield child.resolve() if child.is_symlink() else child
            elif reader_for(child) is not None or child.is_symlink():
                yield InputError(str(child), _missing(child))
        except OSError as e:
            yield InputError(str(child), f"cannot read ({e.strerror or e})")


def read_inputs(paths: Iterable[str | Path], limit: int) -> Iterator[Item]:
    for path in iter_inputs(paths):
        if isinstance(path, InputError):
            yield path
            continue
        reader = reader_for(path)
        if reader is None:
            yield InputError(str(path), f"unsupported file type '{path.suffix or path.name}'")
            continue
        try:
            yield from reader.read(path, limit)
        except OSError as e:
            yield InputError(str(path), f"cannot read ({e.strerror or e})")
