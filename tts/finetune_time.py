"""The wall time of every `tts finetune` invocation on one OUT, kept in `OUT/finetune.json` for the model card.

`Stopwatch(out, command)` is entered when an invocation starts and left when it ends. While it runs it
writes a heartbeat into the record every `HEARTBEAT_SECONDS`, so an invocation that is killed (a session
that ends, a machine that goes away) still leaves how long it ran, to within one heartbeat, on its own
clock: the next invocation counts it from its start to its last heartbeat. File times are not used: a
copy or restore of OUT rewrites them.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Self

from training.compact_state import write_atomically

STATE = "finetune.json"
"""{"seconds": total, "commands": [every invocation's, in order], "interrupted": how many of them
stopped before finishing, "running": {"command", "started", "last"} while one runs}."""
HEARTBEAT_SECONDS = 60.0


def load(out: Path) -> dict:
    """The record in `out` (an empty one where there is none; keys a record from before are missing get defaults)."""
    path = out / STATE
    state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {"seconds": 0.0, "commands": [], "interrupted": 0, **state}


def _save(out: Path, state: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / STATE, (json.dumps(state, indent=1) + "\n").encode())


def _close(state: dict, entry: dict, until: float, finished: bool) -> None:
    state["seconds"] = round(state["seconds"] + max(0.0, until - entry["started"]), 1)
    state["commands"].append(entry["command"])
    state["interrupted"] += 0 if finished else 1


class Stopwatch:
    """Times one invocation into `out`'s record: `with Stopwatch(out, command) as watch: ...`, then
    `watch.state` is the whole record, this invocation included. An invocation left running by a killed
    process is counted first, to its last heartbeat; one that raises is counted to the moment it raised."""

    def __init__(self, out: Path, command: str, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.out, self.command, self.heartbeat = Path(out), command, heartbeat
        self.state: dict = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        state = load(self.out)
        stale = state.pop("running", None)
        if stale is not None:
            _close(state, stale, stale.get("last", stale["started"]), finished=False)
        now = time.time()
        state["running"] = {"command": self.command, "started": now, "last": now}
        self.state = state
        _save(self.out, state)
        self._thread = threading.Thread(target=self._beat, name="finetune-stopwatch", daemon=True)
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat):
            with self._lock:
                self.state["running"]["last"] = time.time()
                _save(self.out, self.state)

    def __exit__(self, kind, error, traceback) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            entry = self.state.pop("running")
            _close(self.state, entry, time.time(), finished=kind is None)
            _save(self.out, self.state)


def summary(state: dict) -> str:
    """The card's wall-time line: total minutes, and how stopped invocations were counted where there were any."""
    line = f"{state['seconds'] / 60:.1f} minutes, every run of the command together"
    if state.get("interrupted"):
        line += f" ({state['interrupted']} of them stopped before finishing, each counted to its last heartbeat, at most {HEARTBEAT_SECONDS:.0f} s before it stopped)"
    return line + "."
