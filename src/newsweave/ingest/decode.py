"""Byte-level checks every reader shares: size, compression, binary content, text encoding."""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path


class BadInput(Exception):
    """Raised with a one-line reason; the reader turns it into an InputError and moves on."""


def read_bytes(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise BadInput("empty file")
    if size > limit and not path.name.endswith(".gz"):
        raise BadInput(f"file is {size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB limit for one article")
    if path.name.endswith(".gz"):
        with open(path, "rb") as fh:
            data = gunzip(fh, limit)
    else:
        data = path.read_bytes()
    if not data.strip():
        raise BadInput("empty file")
    return data


def gunzip(source, limit: int) -> bytes:
    """Unpack gzip (bytes or a binary file) in a stream, stopping as soon as the output passes `limit`: a
    small file that unpacks to gigabytes (a gzip bomb) never sits in memory whole."""
    stream = gzip.GzipFile(fileobj=io.BytesIO(source) if isinstance(source, bytes) else source)
    out = bytearray()
    try:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise BadInput(f"unpacks to over {limit / 2**20:.0f} MiB, the limit (stopped reading there)")
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
        raise BadInput(f"broken or truncated gzip ({e})") from None
    return bytes(out)


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > len(head) * 0.05


def decode_text(data: bytes) -> str:
    """Strict decoding for plain text: UTF-8 (or UTF-16 with a BOM). Guessing would corrupt the article."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BadInput(f"invalid UTF-16 at byte {e.start}") from None
    if looks_binary(data):
        raise BadInput("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInput(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def decode_html(data: bytes) -> str:
    """HTML declares its own charset; browsers fall back leniently and so do we. A byte-order mark comes
    first, as in browsers."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BadInput(f"invalid UTF-16 at byte {e.start}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if looks_binary(data):
        raise BadInput("binary content, not HTML")
    head = data[:4096].lower()
    for marker in (b"charset=", b'encoding="'):
        i = head.find(marker)
        if i >= 0:
            name = head[i + len(marker) : i + len(marker) + 20].strip(b"\"' ").split(b'"')[0].split(b";")[0]
            name = name.split(b"'")[0].split(b" ")[0].split(b">")[0].split(b"/")[0].decode("ascii", "ignore")
            try:
                return data.decode(name or "utf-8")
            except (LookupError, UnicodeDecodeError):
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
