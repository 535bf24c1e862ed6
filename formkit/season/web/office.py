"""The office's own page, opened by its private link ``/o/<token>``: the
season's forms with their status, the prefilled form to download, the
upload with its feedback at once, the history of uploads, the deadline.

The token is the only credential: every route here resolves it first and
answers a plain 404 for an unknown or revoked one (and 429 once an address
has tried too many); what a route shows is that office's alone. An upload
is parsed here, before anything is stored: a file that cannot be read is
refused with the reason and what to do, and nothing of it is kept; a
readable one is stored, its parse committed with it (its parse job marked
done in the same transaction, so the worker never parses it again).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, jsonify, render_template, request
from sqlalchemy import select

from formkit.season.store.links import Access, resolve
from formkit.season.store.models import Job, Office, Parse, Receipt, Season
from formkit.season.web.auth import store_of
from formkit.season.web.feedback import ADVICE, DEFAULT_ADVICE, feedback, form_title, say, values

SUFFIXES = (".docx", ".docm", ".doc", ".rtf", ".odt")
MAX_OFFICE_BYTES = 20 * 1024 * 1024


def register(app: Flask) -> None:
    from formkit.season.web.security import RateLimit

    app.extensions["link_limit"] = RateLimit(attempts=20, window=300.0)

    @app.route("/o/<token>", methods=["GET", "POST"])
    def office_page(token: str) -> Any:
        access = _access(app, token)
        if request.method == "POST":
            return _upload(access)
        return render_template("office.html", **_page(access))

    @app.get("/o/<token>/form/<form>.docx")
    def office_form(token: str, form: str) -> Response:
        access = _access(app, token)
        from formkit import api

        with store_of().session() as db:
            season = db.get(Season, access.season_id)
            if season is None or form not in season.forms:
                abort(404)
            year = season.fiscal_year
        data = api.fill_bytes(form, {"office": access.office_name, "fiscal_year": str(year)})
        response = Response(bytes(data), mimetype="application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document")
        response.headers["Content-Disposition"] = f'attachment; filename="{form}-{year}.docx"'
        return response


def _access(app: Flask, token: str) -> Access:
    limit = app.extensions["link_limit"]
    address = str(request.remote_addr)
    if limit.blocked(address):
        abort(429)
    with store_of().session() as db:
        access = resolve(db, token)
    if access is None:
        limit.failed(address)
        abort(404)
    g.office = access
    return access


def _page(access: Access, **extra: Any) -> dict[str, Any]:
    from formkit.season.store.current import items

    with store_of().session() as db:
        season = db.get(Season, access.season_id)
        assert season is not None
        found = {i.parse.form if i.parse and i.parse.form else "": i for i in
                 items(db, season, office_id=access.office_id, scored=False)}
        forms = [{"id": f, "title": form_title(f), "status": found[f].status if f in found else "missing",
                  "file": found[f].receipt.name if f in found else None} for f in season.forms]
        rows = db.execute(select(Receipt, Parse).outerjoin(
            Parse, (Parse.sha256 == Receipt.sha256) & Parse.current.is_(True)).where(
            Receipt.office_id == access.office_id, Receipt.season_id == access.season_id).order_by(
            Receipt.id.desc()).limit(200))
        counting = {i.receipt.id for i in found.values()}
        history = [{"name": r.name, "at": r.received_at, "form": p.form if p else None,
                    "counts": r.id in counting, "error": (p.error or {}).get("code") if p else None}
                   for r, p in rows]
        year = season.fiscal_year
    return {"office": access, "forms": forms, "history": history, "year": year, "deadline": access.deadline,
            "open": access.open(), "max_mb": MAX_OFFICE_BYTES // 2**20, "suffixes": ",".join(SUFFIXES)} | extra


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _refuse(access: Access, name: str, code: str, message: str, status: str, http: int,
            advice: str | None = None, **values: Any) -> Any:
    lang = g.lang
    said = [{"code": f"error:{code}", "message": say(lang, message, **values)}]
    if advice:
        said.append({"code": f"advice:{code}", "message": say(lang, advice)})
    body = {"file": name, "form": None, "record": None, "warnings": [], "error": {"code": code, "message": message.format(**values)},
            "status": status, "feedback": said}
    if _wants_json():
        return jsonify(body), http
    return render_template("office.html", **_page(access, result=body, values=[])), http


def _upload(access: Access) -> Any:
    files = [f for f in request.files.getlist("file") if f.filename]
    name = _clean(files[0].filename or "") if len(files) == 1 else ""
    if not access.open():
        return _refuse(access, name, "closed", "The deadline has passed: uploads are closed.", "closed", 403,
                       "Contact the committee to ask for more time.")
    if len(request.files) > 1 or len(files) != 1:
        return _refuse(access, name, "count", "Upload one file at a time.", "refused", 400)
    upload = files[0]
    given = upload.filename or ""
    if any(c in given for c in "/\\") or ".." in given or not given.isprintable():
        return _refuse(access, name, "bad-name", "The file name holds a folder path or control characters.",
                       "refused", 400, "Rename the file (letters, digits, spaces) and upload it again.")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return _refuse(access, name, "not-docx", "Only Word documents (.docx, .doc, .rtf, .odt) are accepted.",
                       "refused", 400, ADVICE["not-docx"])
    data = upload.stream.read(MAX_OFFICE_BYTES + 1)
    if len(data) > MAX_OFFICE_BYTES:
        return _refuse(access, name, "too-large", "The file is larger than {mb} MB.", "refused", 413,
                       ADVICE["too-large"], mb=MAX_OFFICE_BYTES // 2**20)
    result = _parse(data, suffix)
    envelope = result.as_dict() | {"file": name}
    if envelope["error"]:
        code = str(envelope["error"]["code"])
        return _refuse(access, name, code, "This file cannot be read: {reason}.", "refused", 422,
                       ADVICE.get(code, DEFAULT_ADVICE), reason=envelope["error"]["message"])
    status = _keep(access, data, name, result)
    from formkit.season.store.current import refresh_levels

    refresh_levels(store_of(), access.office_id)
    body = envelope | {"status": status, "feedback": feedback(envelope, g.lang)}
    if _wants_json():
        return jsonify(body)
    return render_template("office.html", **_page(access, result=body, values=values(envelope)))


def _clean(name: str) -> str:
    from formkit.season.store.intake import clean_name

    return clean_name(name)


def _parse(data: bytes, suffix: str) -> Any:
    from formkit import api

    store = store_of()
    spool = store.data / "tmp"
    spool.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=spool) as folder:
        path = Path(folder) / ("upload" + suffix)
        path.write_bytes(data)
        (result,) = api.parse_files([path], models=False)
    return result


def _keep(access: Access, data: bytes, name: str, result: Any) -> str:
    """Store the upload and its parse in one transaction; "received" or
    "again" (the same content handed in before: kept once)."""
    from formkit.season.store.intake import receive, save_parse

    store = store_of()
    with store.session() as db:
        office, season = db.get(Office, access.office_id), db.get(Season, access.season_id)
        got = receive(store, db, data, name, office=office, season=season)
        if got.duplicate:
            return "again"
        jobs = list(db.scalars(select(Job).where(Job.sha256 == got.sha256, Job.state.in_(("queued", "running")))))
        parsed = db.scalar(select(Parse.id).where(Parse.sha256 == got.sha256, Parse.current.is_(True)))
        if parsed is None and not any(job.state == "running" for job in jobs):
            save_parse(db, got.sha256, result)
            for job in jobs:
                job.state = "done"
        return "received"


def limit_request() -> None:
    """Before an office route reads its body: one file of at most
    :data:`MAX_OFFICE_BYTES` and a few form parts (more is a plain 413)."""
    request.max_content_length = MAX_OFFICE_BYTES + 64 * 1024
    request.max_form_parts = 10
