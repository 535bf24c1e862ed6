"""The admin's page of the offices' links: each office's link (written out
again from the data folder's secret), issue or reissue, revoke, and extend
the deadline for that office alone. Every change is audited."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, abort, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from formkit.season.store import links
from formkit.season.store.models import Office, OfficeLink
from formkit.season.store.people import current_season
from formkit.season.web.auth import login_required, store_of


def register(app: Flask) -> None:
    @app.route("/admin/links", methods=["GET", "POST"])
    @login_required(admin=True)
    def admin_links() -> Any:
        store = store_of()
        if request.method == "POST":
            with store.session() as db:
                season = current_season(db)
                office = db.scalar(select(Office).where(Office.code == request.form.get("office", "")))
                if office is None:
                    abort(404)
                action = request.form.get("action")
                if action == "issue":
                    links.issue(db, store.secret(), office, season, actor=g.user.name)
                elif action == "revoke":
                    links.revoke(db, office, season, actor=g.user.name)
                elif action == "extend":
                    try:
                        until = datetime.fromisoformat(request.form.get("until", "")[:32]) if request.form.get(
                            "until") else None
                    except ValueError:
                        abort(400)
                    if not links.extend(db, office, season, until, actor=g.user.name):
                        abort(400)
                else:
                    abort(400)
            return redirect(url_for("admin_links"))
        base = request.host_url.rstrip("/")
        with store.session() as db:
            season = current_season(db)
            history = {office_id: count for office_id, count in db.execute(select(
                OfficeLink.office_id, func.count()).where(OfficeLink.season_id == season.id).group_by(
                OfficeLink.office_id))}
            rows = []
            for office in db.scalars(select(Office).order_by(Office.code)):
                link = links.active_link(db, office.id, season.id)
                rows.append({"office": office, "issued": link.created_at if link else None,
                             "url": links.link_url(base, links.token_of(store.secret(), link.nonce)) if link else None,
                             "deadline": link.deadline if link else None, "count": history.get(office.id, 0)})
            deadline = season.deadline
        return render_template("office_links.html", rows=rows, deadline=deadline)
