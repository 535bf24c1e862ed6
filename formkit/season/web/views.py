"""The committee's pages: sign in/out, the tracker, upload and its
progress, a document's review (corrections), its judgment, the exports."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, abort, g, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import select

from formkit.season.store import export
from formkit.season.store.batch import MAX_FILES, receive_all
from formkit.season.store.intake import Received
from formkit.season.store.models import Blob, Job, Office, Parse, Receipt
from formkit.season.store.people import authenticate
from formkit.season.web.auth import safe_next, login_required, sign_in, store_of
from formkit.season.web.tracker import tracker_data

def register(app: Flask) -> None:
    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        error = None
        if request.method == "POST":
            limit = app.extensions["login_limit"]
            name = request.form.get("name", "")[:100]
            key = f"{request.remote_addr}|{name}"
            if limit.blocked(key) or limit.blocked(str(request.remote_addr)):
                return render_template("login.html", error="too-many"), 429
            with store_of().session() as db:
                user = authenticate(db, name, request.form.get("password", "")[:1000])
                if user is not None:
                    db.expunge(user)
            if user is None:
                limit.failed(key)
                limit.failed(str(request.remote_addr))
                error = "wrong"
            else:
                limit.succeeded(key)
                sign_in(user)
                return redirect(safe_next(request.args.get("next")))
        return render_template("login.html", error=error), 401 if error else 200

    @app.post("/logout")
    def logout() -> Any:
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        return redirect(url_for("login"))

    @app.get("/")
    @login_required()
    def tracker() -> Any:
        return render_template("tracker.html", **tracker_data(request.args))

    @app.route("/upload", methods=["GET", "POST"])
    @login_required()
    def upload() -> Any:
        if request.method == "GET":
            return render_template("upload.html", max_files=MAX_FILES)
        files = request.files.getlist("files")
        files = [f for f in files if f.filename]
        if not files or len(files) > MAX_FILES:
            return render_template("upload.html", max_files=MAX_FILES, error="count"), 400
        batch = secrets.token_hex(8)
        received = receive_all(store_of(), ((f.filename or "unnamed", f.read()) for f in files), user_id=g.user.id,
                               batch=batch)
        session.setdefault("failed", {})
        session["failed"] = {batch: [[n, str(r)] for n, r in received if not isinstance(r, Received)][:50]}
        app.extensions["worker"].wake.set()
        return redirect(url_for("batch", batch=batch))

    @app.get("/batch/<batch>")
    @login_required()
    def batch(batch: str) -> Any:
        state = batch_state(batch)
        if not state["receipts"] and batch not in session.get("failed", {}):
            abort(404)
        failed = session.get("failed", {}).get(batch, [])
        return render_template("batch.html", batch=batch, failed=failed, **state)

    @app.get("/batch/<batch>.json")
    @login_required()
    def batch_json(batch: str) -> Response:
        state = batch_state(batch)
        return jsonify(total=state["total"], done=state["done"])

    @app.get("/receipt/<int:rid>")
    @login_required()
    def review(rid: int) -> Any:
        from formkit.season.web.review import review_page

        return review_page(rid)

    @app.post("/receipt/<int:rid>/correct")
    @login_required()
    def correct(rid: int) -> Any:
        from formkit.season.web.review import correct_field

        return correct_field(rid)

    @app.post("/receipt/<int:rid>/pick")
    @login_required()
    def pick(rid: int) -> Any:
        from formkit.season.web.review import pick_view

        return pick_view(rid)

    @app.route("/receipt/<int:rid>/judge", methods=["GET", "POST"])
    @login_required()
    def judge(rid: int) -> Any:
        from formkit.season.web.review import judge_page

        return judge_page(rid)

    @app.post("/judgment/<int:jid>/final")
    @login_required()
    def mark_final(jid: int) -> Any:
        from formkit.season.web.review import mark_final_view

        return mark_final_view(jid)

    @app.get("/file/<sha>")
    @login_required()
    def download(sha: str) -> Response:
        from formkit.season.store.blobs import blob_path

        with store_of().session() as db:
            blob = db.get(Blob, sha) if len(sha) == 64 else None
            receipt = db.scalars(select(Receipt).where(Receipt.sha256 == sha).order_by(Receipt.id)).first()
        if blob is None or receipt is None:
            abort(404)
        try:
            data = blob_path(store_of().files, sha).read_bytes()
        except (ValueError, OSError):
            abort(404)
        response = Response(data, mimetype="application/octet-stream")
        response.headers["Content-Disposition"] = _attachment(receipt.name)
        return response

    @app.get("/pages/<sha>/<int:number>.png")
    @login_required()
    def page_image(sha: str, number: int) -> Response:
        from formkit.season.store.render import page_file

        path = page_file(store_of(), sha, number)  # by hash alone: anything else is None
        if path is None:
            abort(404)
        response = Response(path.read_bytes(), mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=86400, immutable"  # content-addressed
        return response

    @app.get("/export.<fmt>")
    @login_required()
    def export_file(fmt: str) -> Response:
        from formkit.season.store.current import season_records

        records = season_records(store_of())
        if fmt == "jsonl":
            body: Any = export.jsonl_text(records).encode("utf-8")
            mimetype = "application/x-ndjson"
        elif fmt == "csv":
            body, mimetype = ("\ufeff" + export.csv_text(records)).encode("utf-8"), "text/csv"
        elif fmt == "xlsx":
            body = export.xlsx_bytes(records)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            abort(404)
        response = Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = _attachment(f"season.{fmt}")
        return response

    @app.get("/report.<fmt>")
    @login_required()
    def report(fmt: str) -> Response:
        from formkit.season.web.review import report_file

        if fmt not in ("xlsx", "html"):
            abort(404)
        return report_file(fmt)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name) or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def batch_state(batch: str) -> dict[str, Any]:
    store = store_of()
    with store.session() as db:
        rows = list(db.execute(select(Receipt, Parse, Office).outerjoin(
            Parse, (Parse.sha256 == Receipt.sha256) & Parse.current.is_(True)).outerjoin(
            Office, Office.id == Receipt.office_id).where(Receipt.batch == batch).order_by(Receipt.id)))
        pending = set(db.scalars(select(Job.sha256).where(Job.kind == "parse", Job.state.in_(("queued", "running")))))
    receipts = [{"id": r.id, "name": r.name, "office": o.code if o else None, "office_name": o.name if o else None,
                 "form": p.form if p else None, "error": p.error if p else None, "note": r.match_note or "",
                 "done": p is not None and r.sha256 not in pending} for r, p, o in rows]
    return {"receipts": receipts, "total": len(receipts), "done": sum(r["done"] for r in receipts)}
