"""The pictures in docs/img, taken from the web UI in Debian's chromium (Playwright), so they stay current.

    python scripts/screenshots.py ../shared [--out docs/img]

Builds one store from the seed texts, the bundled FA-KES sample and one saved page of extraction-dev, serves it
on 127.0.0.1, and saves: story.png (the seed story), fakes-story.png (the FA-KES sample's story with the most
conflicts) and html-article.png (an article read from an HTML page: cleaned text beside the page's lines).
"""
from __future__ import annotations

import argparse
import gzip
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path

import uvicorn

from newsweave import Newsweave
from newsweave.web import create_app

CHROMIUM = "/usr/bin/chromium"
HTML_PAGE = "extraction-dev/html/t0327.html.gz"  # an opinion page in 1.5 MB of markup and minified script


def serve(db: Path) -> tuple[uvicorn.Server, str]:
    server = uvicorn.Server(uvicorn.Config(create_app(db, build_dossiers=False), host="127.0.0.1", port=0,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", help="folder with seeds/ and data/")
    ap.add_argument("--out", default="docs/img")
    args = ap.parse_args()
    shared, out = Path(args.shared), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "opinion-page.html"
        page_file.write_bytes(gzip.decompress((shared / "data" / HTML_PAGE).read_bytes()))
        db = Path(tmp) / "shots.db"
        with Newsweave(db) as nw, resources.as_file(resources.files("newsweave").joinpath("data/sample")) as sample:
            nw.ingest([shared / "seeds", sample / "fakes.jsonl", page_file])
            nw.build_dossiers()
            seed = next(s.id for s in nw.stories() if any("seeds" in a.source for a in nw.articles(s.id)))
            rows, _ = nw.story_list(sort="conflicts", limit=5)
            fakes = next(r["id"] for r in rows if r["id"] != seed)
            html = next(a.id for a in nw.articles() if a.kind == "html")
        server, url = serve(db)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path, name in ((f"/story/{seed}", "story"), (f"/story/{fakes}", "fakes-story"),
                               (f"/article/{html}", "html-article")):
                page.goto(url + path)
                page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                print(out / f"{name}.png")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
