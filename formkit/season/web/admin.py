"""The admin's pages: users (add, reset a password, disable or enable; a
reviewer never reaches these) and the office list (import a CSV or XLSX
file)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, render_template, request, url_for
from sqlalchemy import select

from formkit.errors import FormkitError
from formkit.season.store.models import Office, User
from formkit.season.store.people import add_user, import_offices, set_disabled, set_password
from formkit.season.web.auth import login_required, sign_in, store_of


def register(app: Flask) -> None:
    @app.route("/admin/users", methods=["GET", "POST"])
    @login_required(admin=True)
    def admin_users() -> Any:
        error, status = None, 200
        if request.method == "POST":
            try:
                with store_of().session() as db:
                    if db.scalar(select(User).where(User.name == request.form.get("name", "").strip())):
                        raise ValueError("that user name is taken")
                    add_user(db, request.form.get("name", "")[:100], request.form.get("password", "")[:1000],
                             request.form.get("role", ""), chair=request.form.get("chair") == "1", actor=g.user.name)
            except ValueError as exc:
                error, status = str(exc), 400
            else:
                return redirect(url_for("admin_users"))
        return users_page(error), status

    @app.post("/admin/users/password")
    @login_required(admin=True)
    def admin_user_password() -> Any:
        name = request.form.get("user", "")[:100]
        try:
            with store_of().session() as db:
                user = set_password(db, name, request.form.get("password", "")[:1000], actor=g.user.name)
                if user.id == g.user.id:  # one's own new password: this session goes on
                    db.flush()
                    db.expunge(user)
                    sign_in(user)
        except ValueError as exc:
            return users_page(str(exc), field=name), 400
        return redirect(url_for("admin_users", done="password"))

    @app.post("/admin/users/state")
    @login_required(admin=True)
    def admin_user_state() -> Any:
        try:
            with store_of().session() as db:
                set_disabled(db, request.form.get("user", "")[:100], request.form.get("disable") == "1",
                             actor=g.user.name)
        except ValueError as exc:
            return users_page(str(exc)), 400
        return redirect(url_for("admin_users"))

    @app.route("/admin/offices", methods=["GET", "POST"])
    @login_required(admin=True)
    def admin_offices() -> Any:
        error, status, done = None, 200, None
        if request.method == "POST":
            upload = request.files.get("file")
            suffix = Path(upload.filename or "").suffix.lower() if upload else ""
            if upload is None or suffix not in (".csv", ".xlsx"):
                error, status = "a .csv or .xlsx file of code,name[,email] is needed", 400
            else:
                with tempfile.TemporaryDirectory(prefix="formkit-offices-") as tmp:
                    path = Path(tmp) / f"offices{suffix}"
                    upload.save(path)
                    try:
                        with store_of().session() as db:
                            done = import_offices(db, path, actor=g.user.name)
                    except FormkitError as exc:
                        error, status = exc.message, 400
        with store_of().session() as db:
            offices = list(db.scalars(select(Office).order_by(Office.code)))
        return render_template("offices.html", offices=offices, error=error, done=done), status


def users_page(error: str | None, field: str | None = None) -> str:
    """The users, each with a new-password form and disable/enable; an
    ``error`` in the summary, linking to the password field of the user
    named ``field`` (its form left open)."""
    with store_of().session() as db:
        users = list(db.scalars(select(User).order_by(User.name)))
    return render_template("users.html", users=users, error=error, field=field,
                           done=request.args.get("done") if error is None else None)
