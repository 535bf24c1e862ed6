"""How one soffice process is run so that it reaches nothing but its input,
and leaves nothing behind.

* **No network.** soffice starts inside a new network namespace
  (``unshare --net``, util-linux; as a user other than root
  ``unshare --map-root-user --net``, where user namespaces are allowed): it
  has one loopback interface, down, and no route anywhere. Which form works
  is found once per process by starting ``true`` that way; where neither
  does (no unshare, macOS, user namespaces disabled), soffice runs without
  one and the settings below are the guard.
* **Settings refusing linked content**, written into the throw-away
  profile's ``user/registrymodifications.xcu`` before its first start:
  ``Office.Common/Security/Scripting/BlockUntrustedRefererLinks`` makes
  LibreOffice refuse every resource a document links to (picture, object)
  unless the document lies in a trusted location, and the profile trusts
  none; ``Office.Writer/Content/Update/Link`` = 0 (never) keeps Writer from
  updating linked sections, OLE and DDE links on load; macros never run
  (``MacroSecurityLevel`` 3, ``DisableMacrosExecution``). Measured with
  LibreOffice 7.4 (tests/test_offline.py): the settings alone stop linked
  pictures and objects of .docx and .odt files, over http:// and file://,
  but not the linked pictures of a .doc, which only the namespace stops.
* **Temporary files inside formkit's folder.** TMPDIR, TMP and TEMP (where
  LibreOffice writes its ``lu*.tmp``) and HOME point into the Converter's
  own temporary folder, which is removed when it is done.
* **Nothing of it outlives formkit's wait.** soffice runs in a session of its
  own (soffice.bin is its child); on every way out (finished, timed out,
  Ctrl-C, SIGTERM) the whole process group is killed and waited for before
  its folder is removed. A killed soffice leaves its single-instance socket
  behind in /tmp (``OSL_PIPE_<uid>_SingleOfficeIPC_<hash>``: the hash is the
  MD5 of the profile URL's UTF-16 code units, each byte in hex without
  leading zero, as desktop/source/app/officeipcthread.cxx names it); it is
  removed too.
"""
from __future__ import annotations

import functools
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

GROUP_WAIT = 10.0  # seconds to wait for a killed process group to be gone
_PROBE_TIMEOUT = 10.0
_UNSHARE_FORMS = (("--net",), ("--map-root-user", "--net"))

# (path, property, type, value) written into registrymodifications.xcu.
PROFILE_SETTINGS: tuple[tuple[str, str, str, str], ...] = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "xs:boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "xs:int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "xs:boolean", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "xs:int", "0"),
)


def write_profile_settings(profile: Path) -> None:
    """Write :data:`PROFILE_SETTINGS` as the profile's registrymodifications.xcu
    (LibreOffice's own format for changed settings), before soffice first
    starts on ``profile``."""
    items = "".join(
        f'<item oor:path={quoteattr(path)}><prop oor:name={quoteattr(name)} oor:op="fuse" '
        f'oor:type="{kind}"><value>{value}</value></prop></item>\n'
        for path, name, kind, value in PROFILE_SETTINGS)
    xcu = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
           'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n{items}</oor:items>\n')
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(xcu, "utf-8")


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that starts a program in a new network namespace
    (``unshare --net --`` as root, else with ``--map-root-user``), or ``()``
    when none works here. Probed once per process."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    forms = _UNSHARE_FORMS if os.geteuid() == 0 else _UNSHARE_FORMS[::-1]
    for form in forms:
        prefix = (unshare, *form, "--")
        try:
            done = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=_PROBE_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    return ()


def environment(folder: Path) -> dict[str, str]:
    """soffice's environment: HOME and every temporary-folder variable inside
    ``folder`` (created here)."""
    tmp = folder / "tmp"
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(folder), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp)}


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while cleaning up, so a second interrupt
    cannot cut the cleanup short; they arrive when it is done."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def run(cmd: list[str], env: dict[str, str], cwd: Path, log: IO[bytes], timeout: float) -> bool:
    """Run ``cmd`` (soffice and its arguments) in its own session, isolated
    from the network where possible; True when it was stopped after
    ``timeout`` seconds. On every way out its process group is ended."""
    proc = subprocess.Popen([*network_isolation(), *cmd], stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
    finished = False
    try:
        proc.wait(timeout=timeout)
        finished = True
    except subprocess.TimeoutExpired:
        pass
    finally:
        with signals_held():
            end_group(proc)
            if not finished:
                remove_stale_pipe(cmd)
    return not finished


def end_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc``'s process group (soffice and soffice.bin), reap ``proc``
    and wait, up to :data:`GROUP_WAIT` seconds, until no process of the group
    is left (the others are reaped by init)."""
    deadline = time.monotonic() + GROUP_WAIT
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def remove_stale_pipe(cmd: list[str]) -> None:
    """Remove the single-instance socket a killed soffice left in /tmp (or
    /var/tmp, where osl puts it when /tmp is not writable)."""
    url = next((a.split("=", 1)[1] for a in cmd if a.startswith("-env:UserInstallation=")), None)
    if url is None:
        return
    digest = hashlib.md5(url.encode("utf-16-le"), usedforsecurity=False).digest()
    uid = 0 if "--map-root-user" in network_isolation() else os.getuid()
    name = f"OSL_PIPE_{uid}_SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}"
    for folder in ("/tmp", "/var/tmp"):
        path = os.path.join(folder, name)
        try:
            if stat.S_ISSOCK(os.lstat(path).st_mode):
                os.unlink(path)
        except OSError:
            pass
