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


def put_blob(files: Path, data: bytes) -> str:
    """Store ``data`` once; return its SHA-256."""
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
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
    return sha


def read_blob(files: Path, sha256: str) -> bytes:
    return blob_path(files, sha256).read_bytes()
