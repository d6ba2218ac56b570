"""A per-user cache of ONNX Runtime's optimized graphs, so that a new process opens a voice quickly.

Opening a graph the usual way reads the export's weights (float16 in the file, float32 for the
graph), hands them to ONNX Runtime, and lets it optimize the graph: fold constants, fuse nodes, turn
the int8 graphs' float32 weights into int8. On two cores that is about 100 ms for the default voice,
a quarter of a cold `tts synth`. ONNX Runtime can write the graph it ends up with
(`SessionOptions.optimized_model_filepath`); a later process opens that file with optimizations off,
its weights inside, in about a third of the time and without reading `model.safetensors`.

An entry is an ONNX file named by checksums of everything that decides its content: the graph file's
bytes, the weights file (path, size, modification and change times, inode), which of its tensors the
graph takes, the ONNX Runtime version and the CPU's feature flags (the optimized graph may use layouts
for this CPU alone). A re-export, a copied-in voice or a new ONNX Runtime gets new entries. Entries are
written to a temporary name and renamed, so concurrent processes never read half a file; one that
fails to open is deleted and rebuilt. The cache lives in `$FLOWMAP_TTS_CACHE` if set ("off" turns it off), else
`$XDG_CACHE_HOME/flowmap-tts/graphs` or `~/.cache/flowmap-tts/graphs`; a directory that cannot be
written only means no cache.
"""

from __future__ import annotations

import os
import platform
import time
import zlib
from functools import lru_cache
from pathlib import Path

CACHE_ENV = "FLOWMAP_TTS_CACHE"
"""A directory for the cache, or "off" (also "0" or empty) for none."""
FORMAT = 1
"""Part of every key: raised when what this package writes into an entry changes."""
MAX_ENTRIES = 64
"""The oldest entries beyond this many are deleted when one is written (a voice is 3-4 entries)."""
SUFFIX = ".onnx"


def cache_directory() -> Path | None:
    """Where optimized graphs are kept, or None when the cache is turned off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "false", "no") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "flowmap-tts" / "graphs"


def entry_path(graph: str | Path, weights_file: str | Path, selection: str) -> Path | None:
    """The cache file for `graph` with the weights `selection` names from `weights_file`, or None
    (no cache, or a file that cannot be read: the caller then opens the graph the usual way)."""
    directory = cache_directory()
    if directory is None:
        return None
    import onnxruntime

    try:
        content = Path(graph).read_bytes()
        stat = os.stat(weights_file)
    except OSError:
        return None
    # The change time and inode as well as the modification time: copies that keep a file's time
    # (cp -p, rsync -a, unpacking an archive) still get a new change time.
    weights = (str(Path(weights_file).resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    parts = (FORMAT, weights, selection, onnxruntime.__version__, _cpu_flags())
    content += repr(parts).encode()
    # Two 32-bit checksums make the name: a cache key, not a defence (and zlib imports in a tenth of
    # the time hashlib takes, which counts in a cold start).
    return directory / f"{Path(graph).name.split('.')[0]}-{zlib.crc32(content):08x}{zlib.adler32(content):08x}-{len(content)}{SUFFIX}"


def temporary_path(entry: Path) -> Path | None:
    """A fresh name beside `entry` for ONNX Runtime to write the optimized graph to (None: the
    directory cannot be made)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return entry.with_name(f"{entry.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def commit(temporary: Path, entry: Path) -> bool:
    """Move a written graph into place (atomically), then trim the cache to MAX_ENTRIES, and delete
    temporary files that processes killed while writing left behind. False if it could not be moved."""
    try:
        os.replace(temporary, entry)
    except OSError:
        return False
    entries = sorted(entry.parent.glob(f"*{SUFFIX}"), key=_modified, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        discard(old)
    for left in entry.parent.glob("*.tmp"):
        if _modified(left) < time.time() - 3600:
            discard(left)
    return True


def touch(entry: Path) -> None:
    """Mark an entry used now, so trimming deletes the least recently used ones."""
    try:
        os.utime(entry)
    except OSError:
        pass


def discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=1)
def _cpu_flags() -> str:
    """The CPU's instruction-set flags (Linux), else what the platform module knows of the CPU."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith(("flags", "Features")):
                    return line.split(":", 1)[-1].strip()
    except OSError:
        pass
    return f"{platform.machine()} {platform.processor()}"
