"""The admin's page of the season: the fiscal year, the deadline and the
forms in play, shown and changed through the same store function as
``formkit season`` (:func:`formkit.season.store.people.set_season`, audited).
A bad value is answered 400 with an error summary linking to its field,
the values kept, and nothing changed."""
from __future__ import annotations

from typing import Any

from flask import Flask, g, redirect, render_template, request, url_for

from formkit.season.store.people import (SEASON_PROBLEMS, YEARS, SeasonInvalid, check_season, current_season,
                                        parse_deadline, set_season)
from formkit.season.web.auth import login_required, store_of

FIELDS = ("fiscal_year", "deadline", "forms")


def register(app: Flask) -> None:
    @app.route("/admin/season", methods=["GET", "POST"])
    @login_required(admin=True)
    def admin_season() -> Any:
        if request.method == "POST":
            problems = change_season(request.form)
            if not problems:
                return redirect(url_for("admin_season", saved=1))
            return page(request.form, problems), 400
        return page(None, {})


def change_season(form: Any) -> dict[str, str]:
    """Read the page's form and change the season (nothing when a value is
    bad); the problems by field, each an English message of
    :data:`SEASON_PROBLEMS`."""
    problems: dict[str, str] = {}
    year_text = form.get("fiscal_year", "").strip()[:10]
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    if year is None:
        problems["fiscal_year"] = SEASON_PROBLEMS["fiscal_year"]
    try:
        deadline = parse_deadline(form.get("deadline", "")[:32])
    except ValueError:
        problems["deadline"], deadline = SEASON_PROBLEMS["deadline"], None
    form_ids = [f[:100] for f in form.getlist("forms")][:200]
    refused = check_season(fiscal_year=year, form_ids=form_ids)
    problems |= refused.problems if refused else {}
    if problems:
        return {field: problems[field] for field in FIELDS if field in problems}
    try:
        with store_of().session() as db:
            kept = current_season(db).deadline
            if deadline is not None and kept is not None and deadline.date() == kept.date():
                deadline = kept  # the same day: a moment set from the command line stays
            set_season(db, g.user.name, fiscal_year=year, deadline=deadline, clear_deadline=deadline is None,
                       form_ids=form_ids)
    except SeasonInvalid as exc:  # a form definition gone since the check
        return exc.problems
    return {}


def page(form: Any, problems: dict[str, str]) -> str:
    """The page: the season as stored, and the form (the values sent back
    when there are ``problems``)."""
    from formkit import forms

    with store_of().session() as db:
        season = current_season(db)
        db.expunge(season)
    known = [(f.id, f.title, f.title_en or f.title) for f in forms.load_all()]
    if form is None:
        values = {"fiscal_year": str(season.fiscal_year),
                  "deadline": season.deadline.strftime("%Y-%m-%d") if season.deadline else "",
                  "forms": list(season.forms)}
    else:
        values = {"fiscal_year": form.get("fiscal_year", "")[:10], "deadline": form.get("deadline", "")[:32],
                  "forms": form.getlist("forms")}
    first = {"fiscal_year": "fiscal_year", "deadline": "deadline", "forms": f"form-{known[0][0]}" if known else "forms"}
    return render_template("season.html", season=season, known=known, values=values, problems=problems,
                           first=first, years=YEARS, saved=form is None and request.args.get("saved") == "1")
