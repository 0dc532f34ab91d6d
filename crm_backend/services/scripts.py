"""Interactive scripts, read from their folder when a conversation needs one.

Marketing keeps each script as ``<name>.yml`` in the scripts folder
(``ICBOT_SCRIPTS_DIR``, by default ``data/scripts``; the format is in
:mod:`crm_backend.interactive_scripts` and docs/marketing.md). A campaign
names its script. The file is read again whenever it changed, so new
wording, order, branches or scoring apply from the next question asked,
without retraining or restarting anything.

A campaign may only name a script that :func:`usable_script` accepts: one
that exists and passes the check ``make stories-check`` runs.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import InvalidScript, ScriptNotFound
from ..interactive_scripts import Script
from ..script_reader import parse_script, release_problems

SUFFIX = ".yml"

_lock = threading.Lock()
# path → ((modification time, size), script): parsed once per version of the file.
_cache: dict[Path, tuple[tuple[int, int], Script]] = {}


def script_path(directory: Path, name: str) -> Path:
    """Where the script ``name`` lives.

    Raises:
        ScriptNotFound: the name cannot be a script's (empty, or with a path in it).
    """
    clean = name.strip()
    if not clean or clean != Path(clean).name or clean.startswith("."):
        raise ScriptNotFound(key=name)
    return directory / f"{clean}{SUFFIX}"


def load_script(*, directory: Path, name: str) -> Script:
    """The script ``name`` as its file says now.

    Raises:
        ScriptNotFound: there is no such file.
        InvalidScript: the file is not a valid script (the line is named).
    """
    path = script_path(directory, name)
    try:
        stat = path.stat()
    except OSError:
        raise ScriptNotFound(key=name) from None
    version = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ScriptNotFound(key=name) from None
    except UnicodeDecodeError as error:
        raise InvalidScript(script=name, line=0, reason="the file is not UTF-8 text") from error
    script = parse_script(text, name=path.stem)
    with _lock:
        _cache[path] = (version, script)
    return script


def script_names(*, directory: Path) -> list[str]:
    """The names of the scripts in the folder, sorted."""
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob(f"*{SUFFIX}") if p.is_file())


def usable_script(*, directory: Path, name: str) -> Script:
    """The script ``name``, if a campaign may use it: it exists and passes ``make stories-check``.

    Raises:
        ScriptNotFound: there is no such file.
        InvalidScript: the file does not pass the check (its first problem is named).
    """
    script = load_script(directory=directory, name=name)
    path = script_path(directory, name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ScriptNotFound(key=name) from None
    problems = release_problems(text, name=path.stem)
    if problems:
        first = problems[0]
        raise InvalidScript(script=name, line=first.line, reason=first.message)
    return script


def usable_script_names(*, directory: Path) -> list[str]:
    """The names of the scripts a campaign may use (:func:`usable_script`), sorted."""
    usable = []
    for name in script_names(directory=directory):
        try:
            usable_script(directory=directory, name=name)
        except (ScriptNotFound, InvalidScript):
            continue
        usable.append(name)
    return usable
