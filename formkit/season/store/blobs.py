"""Received files on disk, content-addressed: DATA/files/<sha[:2]>/<sha256>.

A file is written to a temporary name, flushed to disk and renamed into
place, so a crash leaves either the whole file or none; content that is
already there is not written again (a retry is harmless).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from formkit.output import sync_folder

_SHA = re.compile(r"[0-9a-f]{64}")


def blob_path(files: Path, sha256: str) -> Path:
    """Where the file of ``sha256`` lives; anything but 64 hex digits is
    refused (a download asks by hash: no path can be smuggled in)."""
    if not _SHA.fullmatch(sha256):
        raise ValueError(f"not a SHA-256: {sha256[:80]!r}")
    return files / sha256[:2] / sha256


def put_blob(files: Path, data: bytes, unsynced: list[Path] | None = None) -> str:
    """Store ``data`` once; return its SHA-256. With ``unsynced``, the new
    file is not flushed to disk here but added to the list, for
    :func:`sync_blobs` before the database says it is there."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(files, sha)
    if target.exists() and target.stat().st_size == len(data):
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".in-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if unsynced is None:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if unsynced is None:
        sync_folder(target.parent)
    else:
        unsynced.append(target)
    return sha


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_blobs(paths: list[Path]) -> None:
    """Flush new files and their folders to disk, several at once (the file
    system commits them together rather than one journal flush each)."""
    if not paths:
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(_sync_file, paths))
        list(pool.map(sync_folder, sorted({p.parent for p in paths})))


def read_blob(files: Path, sha256: str) -> bytes:
    return blob_path(files, sha256).read_bytes()
