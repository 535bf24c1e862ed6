"""The Flask app of ``formkit serve``: sessions, sign-in, language, safety
and the background parse worker; the pages are in views, admin,
season_admin, office and office_admin.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Strict), keyed by
the data folder's secret; a session names its user and when it was issued,
and one older than :data:`SESSION_HOURS` or naming a user who is gone is
refused. Every POST carries the session's CSRF token.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, session

from formkit.season.store.db import Store
from formkit.season.web import i18n
from formkit.season.web.auth import SESSION_HOURS, safe_next, session_user
from formkit.season.web.security import HEADERS, RateLimit, new_token, same_token

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class Worker:
    """Parses queued files in the background (``workers`` processes) and
    renders their pages for review, and on start puts back what a stopped
    process left running."""

    def __init__(self, store: Store, workers: int) -> None:
        self.store, self.workers = store, workers
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        from formkit.season.store.intake import recover_jobs

        recover_jobs(self.store)
        self.thread = threading.Thread(target=self._loop, name="formkit-parse", daemon=True)
        self.thread.start()
        self.wake.set()

    def _loop(self) -> None:
        from formkit.read.batch import default_jobs
        from formkit.season.store.intake import run_jobs
        from formkit.season.store.current import refresh_levels
        from formkit.season.store.render import run_renders

        while not self.stop.is_set():
            self.wake.wait(timeout=2.0)
            self.wake.clear()
            try:
                if run_jobs(self.store, self.workers or default_jobs()):
                    refresh_levels(self.store)
                if run_renders(self.store):  # one file's pages, then parses again first
                    self.wake.set()
            except Exception:  # noqa: BLE001 - the worker keeps serving; the job stays queued for the next round
                time.sleep(2.0)


def create_app(store: Store, *, workers: int = 0, start_worker: bool = True) -> Flask:
    here = Path(__file__).parent
    app = Flask(__name__, template_folder=str(here / "templates"), static_folder=str(here / "static"))
    app.config.update(
        SECRET_KEY=store.secret(), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="formkit_season", PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES, MAX_FORM_PARTS=2100, TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True
    app.extensions["store"] = store
    app.extensions["login_limit"] = RateLimit()
    worker = Worker(store, workers)
    app.extensions["worker"] = worker
    _hooks(app)
    from formkit.season.web import admin, office, office_admin, season_admin, views

    views.register(app)
    admin.register(app)
    office.register(app)
    office_admin.register(app)
    season_admin.register(app)
    if start_worker:
        worker.start()
    return app


def _hooks(app: Flask) -> None:
    @app.before_request
    def load() -> Response | None:
        g.lang = session.get("lang") if session.get("lang") in i18n.LANGUAGES else i18n.DEFAULT
        if "csrf" not in session:
            session["csrf"] = new_token()
        g.user = session_user()
        if request.path.startswith("/o/"):  # an office's link: the token is its credential (web/office.py)
            from formkit.season.web.office import limit_request

            limit_request()
            return None
        if request.method == "POST" and not same_token(session.get("csrf"), request.form.get("csrf")):
            abort(400, description="csrf")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {"_": lambda text: i18n.translate(g.lang, text), "lang": g.lang, "user": g.user,
                "csrf": session.get("csrf", "")}

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(413)
    @app.errorhandler(429)
    def error(exc: Any) -> tuple[str, int]:
        code = int(getattr(exc, "code", 500) or 500)
        return render_template("error.html", code=code), code

    @app.post("/lang")
    def set_lang() -> Any:
        if request.form.get("lang") in i18n.LANGUAGES:
            session["lang"] = request.form["lang"]
        return redirect(safe_next(request.form.get("next")))


def serve(app: Flask, host: str, port: int) -> None:
    from waitress import serve as run

    run(app, host=host, port=port, threads=8, max_request_body_size=MAX_UPLOAD_BYTES, ident="formkit")
