"""The season's commands (click), added to ``formkit`` by formkit/cli.py when
one of them runs: ``serve``, ``offices``, ``users``, ``ingest``, ``export``
and ``season``. The store and the web app are imported inside each command,
so every other command starts without Flask or SQLAlchemy."""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from formkit.errors import FormkitError
from formkit.season import MISSING_EXTRA

DATA = click.option("--data", "data", required=True, type=click.Path(file_okay=False),
                    help="The season's data folder (database, received files, secret).")
DB = click.option("--db", "db", metavar="URL", envvar="FORMKIT_DB",
                  help="A database URL (postgresql://...); default: season.db in the data folder.")


class Failed(click.ClickException):
    exit_code = 1


def _open(data: str, db: str | None) -> Any:
    import importlib

    try:
        for module in ("flask", "sqlalchemy", "alembic"):
            importlib.import_module(module)
    except ImportError:
        raise click.ClickException(MISSING_EXTRA) from None
    from formkit.season.store.db import open_store

    try:
        return open_store(data, db)
    except FormkitError as exc:
        raise Failed(f"{exc} [{exc.code}]") from None


@click.command("serve")
@DATA
@DB
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=0, type=click.IntRange(min=0), help="Parse worker processes (default: all cores).")
def serve_cmd(data: str, db: str | None, host: str, port: int, workers: int) -> None:
    """Serve the season in the browser (creates the store on first start).

    The first admin is "admin", with the password in FORMKIT_ADMIN_PASSWORD
    or asked for here."""
    from formkit.season.store.people import add_user
    from formkit.season.store.models import User
    from formkit.season.web.app import create_app, serve

    store = _open(data, db)
    with store.session() as session:
        if session.query(User).filter(User.role == "admin").count() == 0:
            password = os.environ.get("FORMKIT_ADMIN_PASSWORD") or click.prompt(
                "password for the first admin (user admin)", hide_input=True, confirmation_prompt=True)
            try:
                add_user(session, "admin", password, "admin", chair=True)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="FORMKIT_ADMIN_PASSWORD") from None
    click.echo(f"formkit: serving the season of {data} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    serve(create_app(store, workers=workers), host, port)


@click.group("offices")
@DATA
@DB
@click.pass_context
def offices_cmd(ctx: click.Context, data: str, db: str | None) -> None:
    """The season's offices: import a list, or list them."""
    ctx.obj = (data, db)


@offices_cmd.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def offices_import(obj: tuple[str, str | None], file: str) -> None:
    """Add or update offices from a CSV or XLSX file of code,name[,email]."""
    from formkit.season.store.people import import_offices

    store = _open(*obj)
    try:
        with store.session() as session:
            added, updated = import_offices(session, file, actor="cli")
    except FormkitError as exc:
        raise Failed(f"{exc} [{exc.code}]") from None
    click.echo(f"formkit: {added} office(s) added, {updated} updated", err=True)


@offices_cmd.command("list")
@click.pass_obj
def offices_list(obj: tuple[str, str | None]) -> None:
    """Print code, name and e-mail of every office, tab-separated."""
    from sqlalchemy import select

    from formkit.season.store.models import Office

    store = _open(*obj)
    with store.session() as session:
        for office in session.scalars(select(Office).order_by(Office.code)):
            click.echo(f"{office.code}\t{office.name}\t{office.email or ''}")


@offices_cmd.command("links")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the CSV here instead of stdout.")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, help="The address offices open.")
@click.pass_obj
def offices_links(obj: tuple[str, str | None], output: str | None, base_url: str) -> None:
    """Write code,name,link of every office (a link is issued to an office that has none)."""
    from formkit.output import atomic_write
    from formkit.season.store.links import links_csv

    if not base_url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--base-url")
    body, count = links_csv(_open(*obj), base_url)
    if output:
        with atomic_write(output, encoding="utf-8-sig", newline="") as out:
            out.write(body)
    else:
        sys.stdout.write("\ufeff" + body)
    click.echo(f"formkit: {count} link(s)", err=True)


@click.group("users")
@DATA
@DB
@click.pass_context
def users_cmd(ctx: click.Context, data: str, db: str | None) -> None:
    """The season's users (admins and reviewers)."""
    ctx.obj = (data, db)


@users_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--chair", is_flag=True, help="This user marks the committee's final judgments.")
@click.pass_obj
def users_add(obj: tuple[str, str | None], name: str, role: str, chair: bool) -> None:
    """Add a user; the password comes from FORMKIT_USER_PASSWORD or a prompt."""
    from formkit.season.store.people import add_user

    store = _open(*obj)
    password = os.environ.get("FORMKIT_USER_PASSWORD") or click.prompt(
        f"password for {name}", hide_input=True, confirmation_prompt=True)
    try:
        with store.session() as session:
            add_user(session, name, password, role, chair=chair, actor="cli")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the name is taken (an integrity error)
        raise Failed(f"the user {name} cannot be added ({type(exc).__name__})") from None


@users_cmd.command("list")
@click.pass_obj
def users_list(obj: tuple[str, str | None]) -> None:
    """Print name, role, chair and state (enabled or disabled since when) of each user."""
    from sqlalchemy import select

    from formkit.season.store.models import User

    with _open(*obj).session() as session:
        for user in session.scalars(select(User).order_by(User.name)):
            state = f"disabled {user.disabled_at:%Y-%m-%d %H:%M}" if user.disabled_at else "enabled"
            click.echo(f"{user.name}\t{user.role}\t{'chair' if user.chair else ''}\t{state}")


@users_cmd.command("passwd")
@click.argument("name")
@click.pass_obj
def users_passwd(obj: tuple[str, str | None], name: str) -> None:
    """Set a user's password (FORMKIT_USER_PASSWORD or a prompt); their sessions end."""
    from formkit.season.store.people import set_password

    store = _open(*obj)
    password = os.environ.get("FORMKIT_USER_PASSWORD") or click.prompt(
        f"new password for {name}", hide_input=True, confirmation_prompt=True)
    try:
        with store.session() as session:
            set_password(session, name, password, actor="cli")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@users_cmd.command("disable")
@click.argument("name")
@click.pass_obj
def users_disable(obj: tuple[str, str | None], name: str) -> None:
    """Stop a user signing in (their open sessions end); never the last admin."""
    _set_disabled(obj, name, True)


@users_cmd.command("enable")
@click.argument("name")
@click.pass_obj
def users_enable(obj: tuple[str, str | None], name: str) -> None:
    """Let a disabled user sign in again."""
    _set_disabled(obj, name, False)


def _set_disabled(obj: tuple[str, str | None], name: str, disabled: bool) -> None:
    from formkit.season.store.people import set_disabled

    try:
        with _open(*obj).session() as session:
            set_disabled(session, name, disabled, actor="cli")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"formkit: {name} {'disabled' if disabled else 'enabled'}", err=True)


@click.command("ingest")
@DATA
@DB
@click.argument("inputs", nargs=-1, required=True, metavar="FILES|DIRS...")
@click.option("--office", "office", metavar="CODE", help="Every file is this office's (else matched by the page header).")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
def ingest_cmd(data: str, db: str | None, inputs: tuple[str, ...], office: str | None, jobs: int) -> None:
    """Returned forms into the season, each matched to an office (as an upload does)."""
    from formkit.read.batch import default_jobs
    from formkit.season.store.batch import ingest_paths

    store = _open(data, db)
    try:
        found = ingest_paths(store, inputs, office_code=office, workers=jobs or default_jobs())
    except FormkitError as exc:
        raise click.BadParameter(exc.message, param_hint="--office") from None
    if not found:
        raise click.UsageError("no Word documents found in the given files and folders")
    for o in found:
        if o.error:
            click.echo(f"failed\t{o.name}\t{o.note} [{o.error}]")
        elif o.office is None:
            click.echo(f"unmatched\t{o.name}\t{o.form or ''}\t{o.note}")
        else:
            click.echo(f"{'again' if o.duplicate else 'matched'}\t{o.name}\t{o.form or ''}\t{o.office}")
    bad = sum(not o.ok for o in found)
    click.echo(f"formkit: {len(found) - bad} of {len(found)} file(s) in the season", err=True)
    if bad:
        raise Failed(f"{bad} file(s) failed or matched no office (listed above)")


@click.command("export")
@DATA
@DB
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout (xlsx needs it).")
def export_cmd(data: str, db: str | None, fmt: str, output: str | None) -> None:
    """The season's records, one per office and form, corrections and judgments applied, with the score."""
    from formkit.output import atomic_write, atomic_write_bytes
    from formkit.season.store import export
    from formkit.season.store.current import season_records

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a file: give -o OUT.xlsx")
    store = _open(data, db)
    records = season_records(store)
    try:
        if fmt == "xlsx":
            assert output is not None
            with atomic_write_bytes(output) as fh:
                fh.write(export.xlsx_bytes(records))
        else:
            body = export.jsonl_text(records) if fmt == "jsonl" else export.csv_text(records)
            if output:
                with atomic_write(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as out:
                    out.write(body)
            else:
                sys.stdout.write(("\ufeff" if fmt == "csv" else "") + body)
    except FormkitError as exc:
        raise Failed(f"{exc} [{exc.code}]") from None
    click.echo(f"formkit: {len(records)} record(s)", err=True)


@click.command("season")
@DATA
@DB
@click.option("--year", "fiscal_year", type=int, help="The fiscal year, Buddhist Era (2570).")
@click.option("--deadline", help="The last day (YYYY-MM-DD, the whole day counts) or moment (YYYY-MM-DDTHH:MM) of "
                                 "returns; 'none' removes it.")
@click.option("--forms", "form_list", help="The forms in play, comma-separated ids (esao-1-2,esao-3-1).")
def season_cmd(data: str, db: str | None, fiscal_year: int | None, deadline: str | None, form_list: str | None) -> None:
    """Show the current season, or change its year, deadline or forms (audited)."""
    from formkit.season.store.people import current_season, parse_deadline, set_season

    try:
        when = parse_deadline(deadline) if deadline is not None else None
    except ValueError:
        raise click.BadParameter(f"{deadline!r}: write YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint="--deadline") from None
    store = _open(data, db)
    try:
        with store.session() as session:
            changing = fiscal_year is not None or deadline is not None or form_list is not None
            forms_in_play = [f.strip() for f in form_list.split(",") if f.strip()] if form_list is not None else None
            season = set_season(session, "cli", fiscal_year=fiscal_year, deadline=when,
                                clear_deadline=deadline is not None and when is None,
                                form_ids=forms_in_play) if changing else current_season(session)
            click.echo(f"fiscal year\t{season.fiscal_year}")
            click.echo(f"deadline\t{season.deadline.isoformat(sep=' ', timespec='minutes') if season.deadline else 'none'}")
            click.echo(f"forms\t{','.join(season.forms)}")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    finally:
        store.close()


COMMANDS = (serve_cmd, offices_cmd, users_cmd, ingest_cmd, export_cmd, season_cmd)
