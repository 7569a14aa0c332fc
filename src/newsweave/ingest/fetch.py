"""HTTP fetching for URLs, feeds and the pages they link to (httpx), polite and bounded.

One request at a time per host with a delay between two, robots.txt obeyed (the standard library's parser),
conditional GET (ETag, Last-Modified), a deadline for the whole response, a size cap checked while the body
streams in, redirects followed by hand (so a loop, too many hops or a jump to another scheme is named), gzip
undone by httpx, only http and https. Every failure is a FetchError with a one-line reason.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsweave.options import Options

log = logging.getLogger(__name__)
REDIRECTS = {301, 302, 303, 307, 308}
ROBOTS_LIMIT = 512 * 1024  # a robots.txt past this is read no further (Google reads 500 KiB)


class FetchError(Exception):
    """A URL that could not be fetched, with a one-line reason. `lasting`: trying again will not help (a 404,
    robots.txt, a redirect loop, a page over the size cap), unlike a timeout or a server error."""

    def __init__(self, reason: str, lasting: bool = True):
        super().__init__(reason)
        self.lasting = lasting


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass
class Response:
    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    location: str = ""  # where a redirect points

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Thread-safe: several hosts may be fetched at once, never two requests to one host."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        # proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as the user set them
        self.client = httpx.Client(headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"},
                                   timeout=self.options.fetch_timeout, follow_redirects=False)
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}
        self._guard = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            limit: int | None = None) -> Response:
        """GET `url`, following redirects; 304 comes back as a Response (`not_modified`), any other status
        from 400 up and every network failure as FetchError."""
        limit = limit or self.options.max_input_bytes
        seen = {url}
        for _ in range(self.options.max_redirects + 1):
            _check_scheme(url)
            if self.options.obey_robots and not self._allowed(url):
                raise FetchError("robots.txt does not allow us to fetch it")
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            response = self._request(url, headers, limit)
            if response.status in REDIRECTS:
                target = response.location
                if not target:
                    raise FetchError(f"HTTP {response.status} redirect without a Location")
                url = urljoin(url, target)
                if url in seen:
                    raise FetchError(f"redirect loop (back to {url[:120]})")
                seen.add(url)
                continue
            if response.status >= 400:
                raise FetchError(f"HTTP {response.status} {httpx.codes.get_reason_phrase(response.status)}".strip(),
                                 lasting=response.status < 500 and response.status not in (408, 425, 429))
            return response
        raise FetchError(f"more than {self.options.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str], limit: int) -> Response:
        """One request, alone on its host, after the host's delay."""
        host = urlsplit(url).netloc.lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, 0.0) + self.options.fetch_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self._stream(url, headers, limit)
            finally:
                self._last[host] = time.monotonic()
                self.requests += 1

    def _stream(self, url: str, headers: dict[str, str], limit: int) -> Response:
        deadline = time.monotonic() + self.options.fetch_timeout
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in REDIRECTS:
                    return Response(url, r.status_code, location=r.headers.get("location", ""))
                if r.status_code >= 300:
                    return Response(url, r.status_code)
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"response is {int(declared) / 2**20:,.0f} MiB, over the "
                                     f"{limit / 2**20:.0f} MiB limit (not read)")
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(f"response passes the {limit / 2**20:.0f} MiB limit (stopped reading there)")
                    if time.monotonic() > deadline:
                        raise FetchError(f"response not complete after {self.options.fetch_timeout:g} s (timed out)",
                                         lasting=False)
                return Response(str(r.url), r.status_code, bytes(body), r.headers.get("content-type", ""),
                                r.headers.get("etag"), r.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.options.fetch_timeout:g} s", lasting=False) from None
        except httpx.DecodingError as e:
            raise FetchError(f"broken compressed response ({e})", lasting=False) from None
        except httpx.HTTPError as e:
            raise FetchError(f"cannot fetch ({type(e).__name__}: {str(e)[:120] or 'no detail'})", lasting=False) from None

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}".lower()
        with self._guard:
            rules = self._robots.get(root)
        if rules is None:
            rules = self._read_robots(root)
            with self._guard:
                self._robots[root] = rules
        if isinstance(rules, str):  # robots.txt could not be read: RFC 9309 says assume nothing is allowed
            raise FetchError(f"robots.txt unreachable ({rules}), so nothing on the site is fetched", lasting=False)
        return rules.can_fetch(self.options.user_agent, url)

    def _read_robots(self, root: str) -> RobotFileParser | str:
        rules = RobotFileParser()
        try:
            response = self._request(f"{root}/robots.txt", {}, ROBOTS_LIMIT)
        except FetchError as e:
            if "limit" in str(e):
                rules.allow_all = True  # only a huge robots.txt: nothing readable forbids us
                return rules
            return str(e)
        if response.status in (401, 403):
            rules.disallow_all = True
        elif 400 <= response.status < 500 or response.status in REDIRECTS:
            rules.allow_all = True  # no robots.txt: everything is allowed
        elif response.status >= 500:
            return f"HTTP {response.status}"
        else:
            rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'a URL without a scheme'}:")
    if not urlsplit(url).hostname:
        raise FetchError("URL has no host")
