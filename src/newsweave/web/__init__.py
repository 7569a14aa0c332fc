"""Web: a local read-only UI with a JSON API (FastAPI + Jinja2), and the self-contained HTML report."""
from newsweave.web.app import create_app
from newsweave.web.report import render_report

__all__ = ["create_app", "render_report"]
