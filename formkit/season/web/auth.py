"""Who is asking: the session's user (refused when stale or forged), the
sign-in, the guard of every page (admin pages refuse a reviewer), and the
store of the running app."""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from formkit.season.store.db import Store
from formkit.season.store.models import User
from formkit.season.web.security import new_token

SESSION_HOURS = 12
F = TypeVar("F", bound=Callable[..., Any])


def store_of() -> Store:
    from flask import current_app

    store: Store = current_app.extensions["store"]
    return store


def safe_next(target: str | None) -> str:
    """Only a path of this site (never //host or a scheme) to go back to."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("tracker")


def session_user() -> User | None:
    uid, issued = session.get("uid"), session.get("issued")
    if not isinstance(uid, int) or not isinstance(issued, (int, float)):
        return None
    if time.time() - issued > SESSION_HOURS * 3600:
        session.clear()
        return None
    with store_of().session() as db:
        user = db.get(User, uid)
        if user is None or user.disabled_at is not None or session.get("pw") != user.password_hash[-16:]:
            # a changed password or a disabled user ends old sessions
            session.clear()
            return None
        db.expunge(user)
        return user


def login_required(admin: bool = False) -> Callable[[F], F]:
    def wrap(view: F) -> F:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("login", next=request.full_path.rstrip("?")))
            if admin and g.user.role != "admin":
                abort(403)
            return view(*args, **kwargs)
        return inner  # type: ignore[return-value]
    return wrap


def sign_in(user: User) -> None:
    lang = session.get("lang")
    session.clear()  # a new session: nothing from before signing in is kept but the language
    if lang:
        session["lang"] = lang
    session.update(uid=user.id, issued=time.time(), pw=user.password_hash[-16:], csrf=new_token())
    session.permanent = True


