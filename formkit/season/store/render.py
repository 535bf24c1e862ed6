"""The pages of a received file as images, for its review: rendered in the
background by the library's preview (LibreOffice, then poppler) and kept
on disk by content, DATA/pages/<sha[:2]>/<sha256>/page-N.png.

A render is a job (kind ``render``) in the jobs table beside the parses,
so a restart resumes one that was queued or left running. The pages of a
file are written into a temporary folder renamed into place once all are
there: a crash leaves every page of a file or none, and a file's pages are
rendered once (a second request is served from the folder).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.output import sync_folder
from formkit.season.store.blobs import blob_path
from formkit.season.store.db import Store
from formkit.season.store.models import Job, Receipt, now

KIND = "render"
MAX_PAGES = 200  # a page past this is not shown (a returned form has a few)
_PAGE = re.compile(r"page-(\d+)\.png")
_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm", ".doc", ".odt", ".rtf")


def pages_folder(store: Store, sha256: str) -> Path:
    """Where the pages of ``sha256`` live; anything but 64 hex digits is
    refused with ValueError (pages are asked for by hash alone)."""
    blob = blob_path(store.files, sha256)  # validates the hash
    return store.data / "pages" / blob.parent.name / blob.name


def rendered_pages(store: Store, sha256: str) -> list[Path] | None:
    """The page images of ``sha256`` in page order, or None while they are
    not rendered."""
    try:
        folder = pages_folder(store, sha256)
        names = os.listdir(folder)
    except (ValueError, OSError):
        return None
    pages = sorted((int(m.group(1)), folder / n) for n in names if (m := _PAGE.fullmatch(n)))
    return [p for _, p in pages]


def page_file(store: Store, sha256: str, number: int) -> Path | None:
    """Page ``number`` (from 1) of ``sha256`` when it is rendered, else None."""
    pages = rendered_pages(store, sha256) or []
    return pages[number - 1] if 1 <= number <= len(pages) else None


def render_state(store: Store, session: Session, sha256: str) -> tuple[str, str | None]:
    """("ready" | "rendering" | "failed", the error code of a failed
    render); a file neither rendered nor queued is queued here."""
    if rendered_pages(store, sha256):
        return "ready", None
    last = session.scalars(select(Job).where(Job.kind == KIND, Job.sha256 == sha256).order_by(Job.id.desc())).first()
    if last is not None and last.state == "failed":
        return "failed", last.error
    if last is None or last.state == "done":  # done but gone from disk: rendered again
        session.add(Job(kind=KIND, sha256=sha256))
    return "rendering", None


def _suffix(session: Session, sha256: str) -> str:
    """The suffix the file was handed in with (LibreOffice also sniffs the content)."""
    name = session.scalars(select(Receipt.name).where(Receipt.sha256 == sha256).order_by(Receipt.id)).first() or ""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in _SUFFIXES else ".docx"


def render_one(store: Store, sha256: str, suffix: str = ".docx") -> int:
    """Render every page of ``sha256`` into its folder; the number of pages.
    Raises FormkitError when the file cannot be rendered."""
    from formkit.office.preview import PreviewUsageError, preview

    target = pages_folder(store, sha256)
    if done := rendered_pages(store, sha256):
        return len(done)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".render-"))
    try:
        src = work / f"file{suffix}"
        shutil.copyfile(blob_path(store.files, sha256), src)
        out = work / "pages"
        out.mkdir()
        try:
            written = preview(src, out / "page.png", all_pages=True).written
        except PreviewUsageError as exc:
            raise FormkitError("conversion-failed", str(exc), sha256) from None
        for n, path in enumerate(written, 1):  # page-01.png ... as page-1.png ...
            if n > MAX_PAGES:
                path.unlink()
            elif path.name != f"page-{n}.png":
                path.rename(out / f"page-{n}.png")
        sync_folder(out)
        try:
            os.replace(out, target)
        except OSError:  # rendered meanwhile by another process: theirs is the same
            if not rendered_pages(store, sha256):
                raise
        sync_folder(target.parent)
        return len(rendered_pages(store, sha256) or [])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_renders(store: Store, limit: int = 1) -> int:
    """Render up to ``limit`` queued files (one LibreOffice at a time);
    return how many jobs ran."""
    from formkit.season.store.intake import claim

    ran = 0
    for job_id, sha in claim(store, limit, kind=KIND):
        with store.session() as session:
            suffix = _suffix(session, sha)
        error: str | None = None
        try:
            render_one(store, sha, suffix)
        except FormkitError as exc:
            error = exc.code
        except (OSError, ValueError):
            error = "conversion-failed"
        with store.session() as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.state, job.error, job.updated_at = ("failed" if error else "done"), error, now()
        ran += 1
    return ran
