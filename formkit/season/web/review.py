"""One received document: its review (the record beside where each field
was found, warnings, corrections with a reason, the original to download),
its judgment by several reviewers and the chair, and the committee report."""
from __future__ import annotations

import tempfile
from typing import Any

from flask import Response, abort, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.season.store import current, picks, review
from formkit.season.store.models import Correction, Judgment, Office, Receipt, User
from formkit.season.store.paths import get_path, leaf_paths
from formkit.season.store.people import current_season
from formkit.season.web.auth import store_of


def _receipt(db: Session, rid: int) -> Receipt:
    receipt = db.get(Receipt, rid)
    if receipt is None:
        abort(404)
    return receipt


def _item(db: Session, receipt: Receipt) -> current.Item:
    """The receipt as the season sees it, scored (with the final judgment)."""
    parse = review.current_parse(db, receipt.sha256)
    item = current.Item(db.get(Office, receipt.office_id) if receipt.office_id else None, receipt, parse,
                        review.corrections_of(db, receipt.id), review.judgments_of(db, receipt.id))
    current.score([item])
    return item


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return "\n".join(show(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items())
    return str(value)


def review_page(rid: int, error: str | None = None, status: int = 200) -> Any:
    with store_of().session() as db:
        receipt = _receipt(db, rid)
        item = _item(db, receipt)
        parse = item.parse
        record = item.envelope()["record"]
        latest: dict[str, Correction] = {c.path: c for c in item.corrections}
        where = (parse.where or {}) if parse else {}
        fields = []
        parsed_record = parse.record if parse is not None and parse.record else {}
        parse_warnings = parse.warnings if parse is not None else []
        for path in leaf_paths(parsed_record):
            c = latest.get(path)
            fields.append({"path": path, "parsed": show(get_path(parsed_record, path)),
                           "value": show(get_path(record, path)), "where": where.get(path.split(".")[0], ""),
                           "correction": c, "warned": any(path.split(".")[0] in str(w.get("field", "")) or
                                                          path.split(".")[0] in str(w.get("message", ""))
                                                          for w in parse_warnings)})
        names = {u.id: u.name for u in db.scalars(select(User))}
        judged = review.considerations(parse.form if parse else None) > 0
        pages, render_error = _pages(db, receipt.sha256)
        uploads, chosen = picks.history(db, receipt)
        page = render_template("review.html", receipt=receipt, item=item, parse=parse, fields=fields,
                               corrections=item.corrections, names=names, judged=judged, error=error,
                               pages=pages, render_error=render_error, uploads=uploads, chosen=chosen,
                               counts_here=any(u.counts and u.receipt.id == rid for u in uploads))
    if pages is None and render_error is None:
        _wake()
    return page, status


def _pages(db: Session, sha: str) -> tuple[list[str] | None, str | None]:
    """The page images' addresses (None while they are being rendered: the
    render is queued if it is not) and a failed render's error code."""
    from formkit.season.store.render import render_state, rendered_pages

    state, code = render_state(store_of(), db, sha)
    if state == "ready":
        count = len(rendered_pages(store_of(), sha) or [])
        return [url_for("page_image", sha=sha, number=n) for n in range(1, count + 1)], None
    return None, (code or "conversion-failed") if state == "failed" else None


def _wake() -> None:
    from flask import current_app

    worker = current_app.extensions.get("worker")
    if worker is not None:
        worker.wake.set()


def correct_field(rid: int) -> Any:
    path = request.form.get("path", "")[:300]
    with store_of().session() as db:
        receipt = _receipt(db, rid)
        user = db.get(User, g.user.id)
        try:
            review.correct(db, receipt, path, request.form.get("value", "")[:20000],
                           request.form.get("reason", "")[:2000], user)
        except review.ReviewError as exc:
            db.rollback()
            return review_page(rid, str(exc), 400)
    _refresh(receipt.office_id)
    return redirect(url_for("review", rid=rid) + "#corrections")


def pick_view(rid: int) -> Any:
    """Count this file for its office and form, or the newest again."""
    with store_of().session() as db:
        receipt = _receipt(db, rid)
        user = db.get(User, g.user.id)
        form = picks.form_of(db, receipt) or ""
        reason = request.form.get("reason", "")[:2000]
        try:
            if request.form.get("action") == "unpick":
                picks.unpick(db, receipt.season_id, receipt.office_id or 0, form, user, reason)
            else:
                picks.pick(db, receipt, receipt.office_id or 0, form, user, reason)
        except picks.PickError as exc:
            db.rollback()
            return review_page(rid, str(exc), 400)
    _refresh(receipt.office_id)
    return redirect(url_for("review", rid=rid) + "#uploads")


def _refresh(office_id: int | None) -> None:
    from formkit.season.store.current import refresh_levels

    if office_id is not None:
        refresh_levels(store_of(), office_id)


def _consideration_names(form_id: str) -> list[str]:
    from formkit import api

    return [str(c.get("name", "")) for c in api.open_form(form_id).rubric.get("considerations") or []]


def _suggestions(score: dict[str, Any] | None, count: int) -> list[str]:
    """The proposal's reason for each consideration ("consideration k (...): ...")."""
    reasons = (score or {}).get("reasons") or [] if (score or {}).get("basis") == "auto" else []
    out = []
    for k in range(1, count + 1):
        out.append(next((r.partition("): ")[2] or r for r in reasons if r.startswith(f"consideration {k} ")), ""))
    return out


def judge_page(rid: int) -> Any:
    error = None
    status = 200
    with store_of().session() as db:
        receipt = _receipt(db, rid)
        if request.method == "POST":
            parse = review.current_parse(db, receipt.sha256)
            count = review.considerations(parse.form if parse else None)
            done = [request.form.get(f"done{k}") == "1" for k in range(1, count + 1)]
            clear = [request.form.get(f"clear{k}") == "1" for k in range(1, count + 1)]
            user = db.get(User, g.user.id)
            assert user is not None
            try:
                review.judge(db, receipt, user, done, clear, request.form.get("note", "")[:2000])
            except review.ReviewError as exc:
                error, status = str(exc), 400
            else:
                return redirect(url_for("judge", rid=rid))
        item = _item(db, receipt)
        if item.parse is None or not review.considerations(item.parse.form):
            abort(404)
        names = _consideration_names(item.parse.form or "")
        users = {u.id: u for u in db.scalars(select(User))}
        mine = next((j for j in item.judgments if j.user_id == g.user.id), None)
        record = item.envelope()["record"] or {}
        texts = [(k, show(v)) for k, v in record.items() if isinstance(v, str) or
                 (isinstance(v, list) and all(isinstance(x, str) for x in v))]
        page = render_template("judge.html", receipt=receipt, item=item, names=names, users=users, mine=mine,
                               texts=texts, differ=review.differences(item.judgments),
                               suggestions=_suggestions(item.score, len(names)), error=error)
    return page, status


def mark_final_view(jid: int) -> Any:
    with store_of().session() as db:
        judgment = db.get(Judgment, jid)
        if judgment is None:
            abort(404)
        chair = db.get(User, g.user.id)
        assert chair is not None
        try:
            review.mark_final(db, judgment, chair)
        except review.ReviewError:
            abort(403)
        rid = judgment.receipt_id
        receipt = db.get(Receipt, rid)
    _refresh(receipt.office_id if receipt else None)
    return redirect(url_for("judge", rid=rid))


def report_file(fmt: str) -> Response:
    """The committee report (the library's, as ``formkit report`` writes it)
    of the season's current records, corrections and final judgments applied."""
    from formkit import api

    with store_of().session() as db:
        season = current_season(db)
        found = [i for i in current.items(db, season, scored=False) if i.parse is not None]
    envelopes = [i.envelope() for i in found]
    rows = [{"file": i.key, "done": i.final.done, "clear": i.final.clear} for i in found if i.final]
    run = api.score_results(envelopes, rows or None, convert=False)
    with tempfile.TemporaryDirectory(prefix="formkit-report-") as tmp:
        xlsx, html = api.write_report(run, tmp, lang=g.lang, results=envelopes)
        data = (xlsx if fmt == "xlsx" else html).read_bytes()
    response = Response(data, mimetype="text/html" if fmt == "html" else
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="report.{fmt}"'
    return response

