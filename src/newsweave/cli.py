"""Command line: a thin layer over newsweave.api.Newsweave."""
from __future__ import annotations

import json
import logging
import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsweave import __version__
from newsweave.api import Newsweave, default_db
from newsweave.errors import BadInput, NotFound
from newsweave.export import story_record
from newsweave.report import story_markdown

# Typer prints a type beside every option, "<bool>" for a flag that takes no value: shown for none.
_display_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else _display_type(self, ctx)

app = typer.Typer(help="newsweave: what many news reports of the same events, taken together, say.",
                  no_args_is_help=True, add_completion=False)
eval_app = typer.Typer(help="Score newsweave on labelled data sets.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console()
err = Console(stderr=True)

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite store (default: $NEWSWEAVE_DB or ./newsweave.db)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does")] = False,
         version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _open(db: str | None, create: bool = False) -> Newsweave:
    """The store; only commands that add to it (ingest, follow) may create one, so a mistyped --db is named."""
    path = db or default_db()
    if not create and not Path(path).is_file():
        err.print(Text(f"no store at {path} (`newsweave ingest` or `newsweave follow` creates one; --db names it)"))
        raise typer.Exit(2)
    return Newsweave(path)


def _ingest(nw: Newsweave, paths: list[str], quiet: bool) -> int:
    if quiet:
        report = nw.ingest(paths)
    else:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("reading", total=None)

            def progress(event: str, amount: int) -> None:
                if event == "read":
                    bar.advance(task, amount)
                elif event == "placed":
                    bar.update(task, description="placed in stories")

            report = nw.ingest(paths, progress=progress)
    for error in report.errors:  # names and reasons come from the input: printed as plain, escaped text
        err.print(Text("error ", style="red") + Text(f"{_printable(error.source)}: {_printable(error.reason)}"),
                  highlight=False, soft_wrap=True)
    for warning in report.warnings:
        err.print(Text("warning ", style="yellow") + Text(f"{_printable(warning.source)}: {_printable(warning.reason)}"),
                  highlight=False, soft_wrap=True)
    if not quiet:
        err.print(f"{report.added} articles added ({report.already_stored} already stored), "
                  f"{report.placed} placed, {report.stories_opened} new stories, {report.copies_linked} copy links, "
                  f"{len(report.errors)} inputs failed.")
    return 1 if report.errors else 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _printable(value: str) -> str:
    """One line of visible text: control characters (newlines, escape sequences) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)


def _build_dossiers(nw: Newsweave, story_ids: list[int] | None) -> int:
    """Parse what the dossiers need first, with a progress bar: on a large store it is the long part."""
    with Progress(TextColumn("[bold]reading facts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("facts", total=None)
        return nw.build_dossiers(story_ids, lambda done, total: bar.update(task, completed=done, total=total))


@app.command()
def ingest(paths: Annotated[list[str], typer.Argument(help="Files or directories to read")], db: DbOption = None,
           quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary")] = False,
           commit_every: Annotated[int, typer.Option(help="Articles stored per transaction")] = 500,
           dossiers: Annotated[bool, typer.Option("--dossiers", help="Then build the dossiers of the stories "
                                                                     "that changed (see `newsweave dossiers`)")] = False,
           ) -> None:
    """Read articles (.txt, .html, .json/.jsonl, WARC/WET, RSS/Atom feeds; .gz too) into the store and update
    stories."""
    with _open(db, create=True) as nw:
        nw.options.commit_every = max(1, commit_every)
        code = _ingest(nw, paths, quiet)
        if dossiers:
            _dossiers(nw, None, quiet)
    raise typer.Exit(code)


def _dossiers(nw: Newsweave, story_ids: list[int] | None, quiet: bool) -> None:
    ids = story_ids or nw.outdated_dossiers()
    parsed = nw.build_dossiers(ids) if quiet else _build_dossiers(nw, ids)
    if not quiet:
        err.print(f"{len(ids)} dossiers built ({parsed} articles parsed).")


def _duration(text: str) -> timedelta:
    """"90s", "10m", "2h", "1d" (a bare number is minutes)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "m")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise typer.BadParameter(f"{text!r} is no duration (say 90s, 10m, 2h or 1d)") from None
    if seconds <= 0:
        raise typer.BadParameter("the interval must be positive")
    return timedelta(seconds=seconds)


EveryOption = Annotated[str, typer.Option("--every", help="How often each source is fetched: 90s, 10m, 2h, 1d")]
AlertsOption = Annotated[Optional[str], typer.Option("--alerts", help="Append alerts (JSON lines) to this file "
                                                                      "instead of stdout")]
WebhookOption = Annotated[Optional[str], typer.Option("--webhook", help="Also POST each alert (JSON) to this URL")]
DelayOption = Annotated[float, typer.Option("--delay", help="Seconds between two requests to one host")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds allowed for one response")]


@app.command()
def follow(urls: Annotated[Optional[list[str]], typer.Argument(help="Feed (RSS, Atom) or news sitemap URLs")] = None,
           opml: Annotated[Optional[str], typer.Option("--opml", help="Follow every feed an OPML file or URL lists")] = None,
           remove: Annotated[bool, typer.Option("--remove", help="Stop following these URLs")] = False,
           db: DbOption = None) -> None:
    """Subscribe to feeds and sitemaps; `newsweave fetch` (or `watch`) then reads what they list."""
    with _open(db, create=not remove) as nw:
        if remove:
            err.print(f"{nw.unfollow(urls or [])} sources no longer followed.")
            return
        added, errors = nw.follow(urls or [], opml)
        for e in errors:
            err.print(Text("error ", style="red") + Text(f"{_printable(e.source)}: {_printable(e.reason)}"))
        err.print(f"{len(added)} sources followed ({len(nw.sources())} in all). Fetch them: newsweave fetch")
    raise typer.Exit(1 if errors else 0)


@app.command()
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The sources followed, with their last fetch, failures and counts of items and articles."""
    with _open(db) as nw:
        subs = nw.sources()
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in subs], ensure_ascii=False, indent=1))
        return
    table = Table("url", "title", "last fetch", "items", "articles", "pending", "error", title=f"{len(subs)} sources")
    for s in subs:
        error = f"{s.last_error} ({s.failures}x)" if s.last_error else ""
        table.add_row(Text(s.url), Text(s.title or ""), s.last_fetch_at or "never", str(s.items), str(s.articles),
                      str(s.pending), Text(error, style="red"))
    console.print(table)


def _round(nw: Newsweave, every: timedelta, alerts: str | None, webhook: str | None, quiet: bool) -> int:
    from newsweave.alerts import post_alerts

    report = nw.fetch(every)
    for e in report.errors:
        err.print(Text("error ", style="red") + Text(f"{_printable(e.source)}: {_printable(e.reason)}"),
                  highlight=False, soft_wrap=True)
    lines = "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in report.alerts)
    if alerts:
        with open(alerts, "a", encoding="utf-8") as fh:
            fh.write(lines)
    elif lines:
        typer.echo(lines, nl=False)
    if webhook:
        for problem in post_alerts(webhook, report.alerts, nw.options):
            err.print(Text("warning ", style="yellow") + Text(problem))
    if not quiet:
        r = report.round
        err.print(f"{r.listings_due} sources fetched ({r.listings_unchanged} unchanged, {r.listings_failed} failed), "
                  f"{r.items_new} new items, {r.pages_fetched} pages fetched, {report.ingest.added} articles added, "
                  f"{len(report.stories_changed)} stories changed, {len(report.alerts)} alerts.")
    return 1 if report.errors else 0


@app.command()
def fetch(db: DbOption = None, every: EveryOption = "10m", alerts: AlertsOption = None, webhook: WebhookOption = None,
          delay: DelayOption = 1.0, timeout: TimeoutOption = 30.0,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary")] = False) -> None:
    """One round over the sources followed (for cron): fetch what is due, ingest new articles, update their
    stories' dossiers, print alerts as JSON lines."""
    with _open(db) as nw:
        nw.options.fetch_delay, nw.options.fetch_timeout = max(0.0, delay), max(0.1, timeout)
        code = _round(nw, _duration(every), alerts, webhook, quiet)
    raise typer.Exit(code)


@app.command()
def watch(db: DbOption = None, every: EveryOption = "10m", alerts: AlertsOption = None, webhook: WebhookOption = None,
          rounds: Annotated[int, typer.Option(help="Stop after this many rounds (0: never)")] = 0,
          delay: DelayOption = 1.0, timeout: TimeoutOption = 30.0,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary after each round")] = False) -> None:
    """Fetch the sources followed every interval until stopped (Ctrl-C): `fetch` in a loop. A failing
    source is retried later and later; a restart fetches no stored page again."""
    import time

    interval = _duration(every)
    done = 0
    with _open(db) as nw:
        nw.options.fetch_delay, nw.options.fetch_timeout = max(0.0, delay), max(0.1, timeout)
        try:
            while True:
                started = time.monotonic()
                try:
                    _round(nw, interval, alerts, webhook, quiet)
                except Exception as e:  # a round that breaks (a full disk, a locked store) is reported; watching goes on
                    logging.getLogger("newsweave.watch").exception("round failed")
                    err.print(Text("error ", style="red") + Text(f"round failed ({type(e).__name__}: {e}); trying "
                                                                 "again next round"))
                done += 1
                if rounds and done >= rounds:
                    break
                time.sleep(max(0.0, interval.total_seconds() - (time.monotonic() - started)))
        except KeyboardInterrupt:
            err.print(f"stopped after {done} rounds.")


@app.command()
def dossiers(db: DbOption = None,
             story: Annotated[Optional[list[int]], typer.Option("--story", help="Only these stories")] = None,
             quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary")] = False) -> None:
    """Build the dossiers that are missing or older than their story (all cores), so that pages, `show` and
    exports need not wait for them. `serve` does the same in the background."""
    with _open(db) as nw:
        _dossiers(nw, story or None, quiet)


SORTS = ("size", "recent", "sources", "conflicts")
DAY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _day(value: str, option: str) -> str:
    """A date the story list compares with its stories' dates: YYYY, YYYY-MM or YYYY-MM-DD."""
    if not value:
        return value
    try:
        if not DAY.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat((value + "-01-01")[:10])  # a real month and day
    except ValueError:
        err.print(f"{option} takes a date: YYYY-MM-DD, YYYY-MM or YYYY (not {value!r})")
        raise typer.Exit(2)
    return value


@app.command()
def stories(db: DbOption = None, as_json: JsonOption = False,
            search: Annotated[str, typer.Option("--search", "-s", help="Only stories with an article that has all "
                                                "these words (word* for words that begin so)")] = "",
            sort: Annotated[str, typer.Option(help="size (articles), recent (latest report), sources (independent "
                                              "sources) or conflicts (from the dossiers built)")] = "size",
            since: Annotated[str, typer.Option(help="Only stories reported on or after this date (YYYY-MM-DD)")] = "",
            until: Annotated[str, typer.Option(help="Only stories reported on or before this date")] = "",
            outlet: Annotated[str, typer.Option(help="Only stories with an article from this outlet")] = "",
            limit: Annotated[int, typer.Option(min=1, max=1000, help="Show at most this many")] = 50,
            offset: Annotated[int, typer.Option(min=0, help="Skip this many first")] = 0) -> None:
    """List stories: id, title, articles, independent sources, date span, conflicts. Says how many match when
    not all are shown."""
    if sort not in SORTS:
        err.print(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
        raise typer.Exit(2)
    with _open(db) as nw:
        rows, total = nw.story_list(search, sort, outlet, _day(since, "--since"), _day(until, "--until"), limit, offset)
        if as_json:
            for row in rows:
                row["article_ids"] = nw.story(row["id"]).article_ids
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        table = Table("id", "title", "articles", "sources", "dates", "conflicts")
        for r in rows:
            span = r["first_date"] or ""
            if r["last_date"] and r["last_date"] != r["first_date"]:
                span = f"{span} .. {r['last_date']}"
            title = Text(r["title"])
            if r.get("snippet"):
                title.append("\n")
                for piece in r["snippet"]:
                    title.append(piece["text"].replace("\n", " "), style="bold" if piece["match"] else "dim")
            table.add_row(str(r["id"]), title, str(r["articles"]), str(r["independent_sources"]), span,
                          str(r["conflicts"]) if r["dossier"] == "ready" else "")
        console.print(table)
    if not total:
        err.print("no stories match")
    elif offset or len(rows) < total:
        more = f"; --offset {offset + len(rows)} for the next" if offset + len(rows) < total else ""
        err.print(f"stories {offset + 1 if rows else offset}-{offset + len(rows)} of {total}{more}")


@app.command()
def show(story: Annotated[int, typer.Argument(help="Story id")], db: DbOption = None,
         plain: Annotated[bool, typer.Option("--plain", help="Print the Markdown source")] = False,
         as_json: Annotated[bool, typer.Option("--json", help="The story and its dossier as JSON (the export's "
                                               "story record)")] = False) -> None:
    """Print one story's dossier as Markdown: summary, facts (conflicts first), quotes, timeline, coverage."""
    with _open(db) as nw:
        try:
            if as_json:
                text = json.dumps(story_record(nw, nw.story(story)), indent=2, ensure_ascii=False)
            else:
                text = story_markdown(nw, story)
        except NotFound as e:
            err.print(str(e))
            raise typer.Exit(1)
    if plain or as_json:
        typer.echo(text)
    else:
        console.print(Markdown(text))


@app.command()
def export(db: DbOption = None,
           format: Annotated[str, typer.Option("--format", "-f", help="json, jsonl, parquet or html")] = "json",
           output: Annotated[Optional[str], typer.Option("--output", "-o", help="File (default: stdout)")] = None,
           story: Annotated[Optional[list[int]], typer.Option("--story", help="Only these stories")] = None,
           dossier: Annotated[bool, typer.Option("--dossier/--no-dossier",
                                                 help="Add facts, quotes, timeline, summary, coverage to stories "
                                                      "(json)")] = True,
           ) -> None:
    """Export articles and stories (json), one row per article (jsonl, parquet), or a self-contained HTML report."""
    with _open(db) as nw:
        try:
            for story_id in story or ():
                nw.story(story_id)
        except NotFound as e:
            err.print(str(e))
            raise typer.Exit(1)
        if format == "html" or (format == "json" and dossier):
            _build_dossiers(nw, story or None)
        try:
            if format == "html":
                from newsweave.web import render_report

                text = render_report(nw, story or None)
                if output not in (None, "-"):
                    Path(output).write_text(text, encoding="utf-8")
                    text = None
            else:
                text = nw.export(output, format, story or None, dossier)
        except BadInput as e:
            err.print(str(e))
            raise typer.Exit(2)
    if text is not None:
        typer.echo(text, nl=False)


@app.command()
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option(help="Address to listen on (only this machine by default)")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port")] = 8000,
          allow_remote: Annotated[bool, typer.Option(
              "--allow-remote", help="Listen on an address other machines can reach")] = False,
          build: Annotated[bool, typer.Option("--build/--no-build", help="Build missing and out-of-date dossiers "
                                                                         "in the background while serving")] = True,
          ) -> None:
    """Browse stories, dossiers and articles in a local web UI (JSON API under /api, schema at /docs)."""
    import uvicorn

    from newsweave.api import default_db
    from newsweave.web import create_app

    path = db or default_db()
    if not _loopback(host):
        if not allow_remote:
            err.print(f"refusing to listen on {host}: anyone who can reach it could read the store; "
                      "add --allow-remote to do so anyway")
            raise typer.Exit(2)
        err.print(Text(f"warning: listening on {host}: the store is readable by anyone who can reach port {port}",
                       style="yellow"))
    try:
        app_ = create_app(path, host=host, build_dossiers=build)
    except FileNotFoundError as e:
        err.print(str(e))
        raise typer.Exit(1)
    console.print(f"newsweave: http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def demo(db: Annotated[str, typer.Option("--db", help="Store for the demo")] = "newsweave-demo.db") -> None:
    """Run the whole job on the bundled sample corpus and show the largest stories."""
    sample = resources.files("newsweave").joinpath("data/sample")
    Path(db).unlink(missing_ok=True)
    with Newsweave(db) as nw:
        with resources.as_file(sample) as folder:
            code = _ingest(nw, [str(folder)], quiet=False)
        top = sorted(nw.stories(), key=lambda s: (-s.independent_sources, -len(s.article_ids), s.id))
        table = Table("id", "title", "articles", "sources", "dates", title=f"{len(top)} stories in {db}")
        for s in top[:10]:
            table.add_row(str(s.id), s.title or "", str(len(s.article_ids)), str(s.independent_sources),
                          s.first_date or "")
        console.print(table)
        if top:
            console.print(Markdown(story_markdown(nw, top[0].id)))
    # plain lines, never wrapped: commands to copy
    typer.echo(f"\nNext:\n  newsweave serve --db {db}    then open http://127.0.0.1:8000 (the web UI)\n"
               f"  newsweave export --db {db} -f html -o report.html    a report to open or share\n"
               f"  newsweave stories --db {db};  newsweave show ID --db {db}")
    raise typer.Exit(code)


@eval_app.command("clustering")
def eval_clustering(directory: str, as_json: JsonOption = False) -> None:
    """B-cubed and pairwise precision/recall/F1 of stories against gold events."""
    from newsweave.evaluate.clustering import evaluate

    scores = evaluate(directory)
    if as_json:
        typer.echo(json.dumps(scores.as_dict(), indent=2))
        return
    s = scores
    typer.echo(f"documents {s.documents}, gold events {s.gold_events}, stories {s.stories}\n"
               f"B-cubed   P {s.bcubed_precision:.3f}  R {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}\n"
               f"pairwise  P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}")


@eval_app.command("extraction")
def eval_extraction(
    directory: str,
    method: Annotated[str, typer.Option(
        help="newsweave (page text), newsweave-html, trafilatura (HTML), raw")] = "newsweave",
    validation: Annotated[bool, typer.Option("--validation", help="Only the pages held out from training")] = False,
    as_json: JsonOption = False,
) -> None:
    """Boilerplate removal: snippet (or 4-gram body) precision/recall/F1."""
    from newsweave.evaluate.extraction import cleaner_for, evaluate, validation_ids

    try:
        clean, source = cleaner_for(method)
    except BadInput as e:
        err.print(str(e))
        raise typer.Exit(2)
    scores = evaluate(directory, clean, source, validation_ids(directory) if validation else None)
    if as_json:
        typer.echo(json.dumps(dict(scores.as_dict(), method=method), indent=2))
        return
    typer.echo(f"{method} on {scores.documents} pages: P {scores.precision:.3f}  R {scores.recall:.3f}  F {scores.f1:.3f}")


if __name__ == "__main__":
    app()
