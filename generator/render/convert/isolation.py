"""What keeps the converter's files and processes to itself (変換処理の隔離).

Each pool works in a folder of its own, ``hdg-lo-PID-XXXXXXXX`` in /dev/shm: mode 0700, its
files 0600, removed when the pool closes. A pool whose process was killed cannot remove its
folder; the next pool to start removes every such folder whose process is gone (the pid in
its name). The documents converted there hold members' personal data.

The agent and soffice get an environment built from an allow-list, never this process's
own: the service's API keys, the facility keys and broker URLs must not reach a process
that reads documents from outside.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from generator.errors import OutputError
from generator.outputs import DIR_MODE, FILE_MODE

PREFIX = "hdg-lo-"
#: What a folder must still take after a failed export for the document to be at fault.
PROBE_BYTES = 1 << 20
_OWNED = re.compile(rf"{PREFIX}(\d+)-")
#: The pool's pid in a converter process's command line (its --accept pipe name).
_PIPE = re.compile(rb"name=hdg-(\d+)-\d+;")
#: Variables passed on as they are: the search path, the locale, the time zone.
_PASSED = frozenset({"PATH", "LANG", "LANGUAGE", "TZ"})
#: Families passed on: the locale's categories, LibreOffice's own settings (SAL_LOG …).
_PASSED_PREFIXES = ("LC_", "SAL_")
#: Never passed, whatever the allow-list says.
_FONT_CACHE = re.compile(r'<cachedir prefix="xdg">([^<>/]+)</cachedir>')
_SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE", re.IGNORECASE)


def scratch_base() -> Path:
    """/dev/shm where there is one (documents never touch a disk), else the temp folder."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() else Path(tempfile.gettempdir())


def make_folder(base: Path) -> Path:
    """A new folder of this process's own in ``base``, 0700; stale ones are removed first."""
    remove_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
    folder.chmod(DIR_MODE)
    return folder


def end_orphans() -> list[int]:
    """End the LibreOffice processes of this user whose pool's process and agent are both
    gone (an agent killed with SIGKILL cannot end its group): their pipe's name carries
    the pool's pid (``name=hdg-PID-N``). The process groups ended."""
    ended = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError):
            if not entry.name.isdigit() or entry.stat().st_uid != os.getuid():
                continue
            found = _PIPE.search((entry / "cmdline").read_bytes())
            group = os.getpgid(int(entry.name))
            if found and not _alive(int(found[1])) and not _alive(group):
                os.killpg(group, signal.SIGKILL)  # its oosplash and soffice.bin
                ended.append(group)
    return ended


def remove_stale(base: Path) -> list[Path]:
    """Remove the folders in ``base`` that pools of this user left when their process was
    killed (a pid that no longer runs), and end processes such a pool left; the removed
    folders."""
    end_orphans()
    removed = []
    for entry in base.glob(f"{PREFIX}*"):
        found = _OWNED.match(entry.name)
        with contextlib.suppress(OSError):
            if found and entry.lstat().st_uid == os.getuid() and not _alive(int(found[1])):
                shutil.rmtree(entry)
                removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """Running: a zombie (killed, not yet reaped by its new parent) is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: not ours to judge
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0]
        return state != b"Z"
    return True


def prepare_home(home: Path, fontconfig_file: Path) -> None:
    """A process's home, temp and cache folders, 0700. Fontconfig makes its cache folder
    0755 when it is missing, so the one the pinned configuration names is made first."""
    for folder in (home, home / "tmp", home / "cache"):
        private_folder(folder)
    named = _FONT_CACHE.search(fontconfig_file.read_text(encoding="utf-8"))
    if named:
        private_folder(home / "cache" / named[1])


def private_folder(path: Path) -> Path:
    """``path`` and its missing parents created 0700, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """``data`` in a new file at ``path``, 0600 from its creation."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)  # an existing file keeps its mode on O_CREAT
        handle.write(data)


def refuses_writes(folder: Path) -> None:
    """An OutputError when ``folder`` takes no more files (full, read-only, gone): LibreOffice
    reports that as a failed export (an "Io Access" error), which a run would otherwise take
    for the document's fault and put every record of the batch in errors.csv."""
    probe = folder / f".probe-{os.getpid()}-{threading.get_ident()}"
    try:
        descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(bytes(PROBE_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}") from None


def child_environment(home: Path, fontconfig_file: Path) -> dict[str, str]:
    """The environment of an agent and its soffice: the allow-list, then the settings the
    pool needs (its pinned fonts, the headless plugin, a private home, temp and cache)."""
    passed = {
        name: value
        for name, value in os.environ.items()
        if (name in _PASSED or name.startswith(_PASSED_PREFIXES)) and not _SECRET.search(name)
    }
    return {
        **passed,
        "FONTCONFIG_FILE": str(fontconfig_file),
        "SAL_USE_VCLPLUGIN": "svp",
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LC_ALL": "C.UTF-8",
    }
