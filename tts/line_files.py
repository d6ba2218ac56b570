"""Batch synthesis of a text file into a folder of audio files (behind `tts synth --file`).

Lines are `text` or `id|text`; outputs are `<out_dir>/<id>.<format>` (ids from the line, else the
line number). Existing outputs are skipped unless `overwrite`, so an interrupted run resumes; files are
written atomically, so a killed run leaves no truncated output behind. A line with nothing to speak is
reported, skipped and counted, and the rest of the batch goes on.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class BatchSummary:
    utterances: int
    skipped_existing: int
    audio_seconds: float
    wall_seconds: float
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(id, reason) of the lines that could not be spoken."""

    @property
    def real_time_factor(self) -> float:
        return self.wall_seconds / self.audio_seconds if self.audio_seconds else 0.0

    def __str__(self) -> str:
        return (
            f"{self.utterances} utterance(s), {self.audio_seconds:.1f} s of audio in {self.wall_seconds:.1f} s "
            f"(RTF {self.real_time_factor:.3f}); {self.skipped_existing} already existed; {len(self.failed)} failed"
        )


def read_lines(path: str | Path) -> list[tuple[str, str]]:
    """(id, text) pairs from a text file; blank lines are skipped, line numbers name unnamed lines."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise FileNotFoundError(f"text file not found: {path}") from None
    except (UnicodeDecodeError, IsADirectoryError) as error:
        raise ValueError(f"cannot read {path} as UTF-8 text: {error}") from None
    width = len(str(len(lines)))
    items, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        name, text = line.split("|", 1) if "|" in line else (str(number).zfill(width), line)
        name = _SAFE_NAME.sub("_", name.strip()).strip("._") or str(number).zfill(width)
        if not text.strip():
            raise ValueError(f"{path}:{number}: empty text for {name!r}")
        if name in seen:
            raise ValueError(f"{path}:{number}: duplicate id {name!r}")
        seen.add(name)
        items.append((name, text.strip()))
    if not items:
        raise ValueError(f"{path} has no text lines")
    return items


def synthesize_file(
    synthesizer, path, out_dir, format: str = "wav", batch_size: int = 16, overwrite: bool = False, progress: bool = True, options=None, **overrides
) -> BatchSummary:
    import sys
    import warnings

    from tqdm import tqdm

    from vocoder.audio_io import check_writable_dir

    options = synthesizer.resolve_options(options, overrides)  # checked once, before any work
    items = read_lines(path)
    out_dir = check_writable_dir(out_dir)  # before any synthesis
    todo = [(name, text) for name, text in items if overwrite or not (out_dir / f"{name}.{format}").exists()]
    start = time.perf_counter()
    seconds, failed = 0.0, []
    with tqdm(total=len(todo), disable=not progress, unit="utt") as bar:
        for first in range(0, len(todo), batch_size):
            group = []
            for name, text in todo[first : first + batch_size]:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        group.append((name, synthesizer.utterance(text)))  # checked and split once
                except ValueError as error:
                    failed.append((name, str(error)))
                    bar.write(f"skipped {name}: {error}", file=sys.stderr)  # diagnostics, like the bar itself
            audios = synthesizer.synthesize_batch([t for _, t in group], batch_size=batch_size, options=options) if group else []
            for (name, _), audio in zip(group, audios):
                audio.save(out_dir / f"{name}.{format}", format=format)
                seconds += audio.duration
            bar.update(len(todo[first : first + batch_size]))
    return BatchSummary(len(todo) - len(failed), len(items) - len(todo), seconds, time.perf_counter() - start, failed)
