"""Dataset listings in LJSpeech format, with every skipped row counted by reason.

Formats (pipe-separated `metadata.csv`, audio in `wavs/<id>.wav`):
- `ljspeech`: `id|text` or `id|text|normalized_text` (the normalized column is used when present);
- `multispeaker`: `id|speaker|text`.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

AUDIO_SUFFIXES = (".wav", ".flac")


@dataclass(frozen=True)
class Utterance:
    id: str
    text: str
    audio_path: Path
    speaker: str | None = None


@dataclass
class SkipReport:
    """Rows left out of a dataset, counted by reason, with a few example ids each."""

    counts: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def skip(self, reason: str, example: str) -> None:
        self.counts[reason] += 1
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < 3:
            self.examples[reason].append(example)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        if not self.counts:
            return "no rows skipped"
        lines = [f"skipped {self.total} row(s):"]
        for reason, count in self.counts.most_common():
            lines.append(f"  {count:6d}  {reason} (e.g. {', '.join(self.examples[reason])})")
        return "\n".join(lines)


def read_metadata(
    root: str | Path,
    metadata: str = "metadata.csv",
    audio_dir: str = "wavs",
    format: Literal["ljspeech", "multispeaker"] = "ljspeech",
    report: SkipReport | None = None,
) -> tuple[list[Utterance], SkipReport]:
    """Rows of `root/metadata` whose audio file exists and whose text is not empty.

    Audio is looked up as `root/audio_dir/<id>.wav` (or .flac). Skipped rows go to the returned report.
    """
    root = Path(root)
    path = root / metadata
    if not path.is_file():
        raise FileNotFoundError(f"metadata file not found: {path}")
    if format not in ("ljspeech", "multispeaker"):
        raise ValueError(f"unknown metadata format {format!r}: expected 'ljspeech' or 'multispeaker'")
    report = report if report is not None else SkipReport()
    utterances, seen = [], set()
    # utf-8-sig: a byte-order mark (as some editors write) is not part of the first id.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        line_number = 0
        try:
            # LJSpeech text contains quotes; csv must not treat them as quoting.
            for line_number, row in enumerate(csv.reader(handle, delimiter="|", quoting=csv.QUOTE_NONE), start=1):
                if not row or not any(cell.strip() for cell in row):
                    continue
                where = f"{path.name}:{line_number}"
                utterance = _parse_row(row, format, root / audio_dir, where, report)
                if utterance is not None and utterance.id in seen:
                    report.skip("duplicate id", utterance.id)
                elif utterance is not None:
                    seen.add(utterance.id)
                    utterances.append(utterance)
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: not UTF-8 text after line {line_number} ({error.reason} at byte {error.start} of a block)") from None
        except csv.Error as error:
            raise ValueError(f"{path}:{line_number + 1}: {error}") from None
    return utterances, report


def _parse_row(row: list[str], format: str, audio_dir: Path, where: str, report: SkipReport) -> Utterance | None:
    expected = (2, 3) if format == "ljspeech" else (3,)
    if len(row) not in expected:
        report.skip(f"malformed row ({len(row)} fields, expected {' or '.join(map(str, expected))})", where)
        return None
    utterance_id = row[0].strip()
    if format == "ljspeech":
        speaker = None
        text = row[2].strip() if len(row) == 3 and row[2].strip() else row[1].strip()
    else:
        speaker, text = row[1].strip(), row[2].strip()
    if not utterance_id:
        report.skip("empty id", where)
        return None
    if not text:
        report.skip("empty text", utterance_id)
        return None
    if format == "multispeaker" and not speaker:
        report.skip("empty speaker", utterance_id)
        return None
    audio_path = next((audio_dir / f"{utterance_id}{s}" for s in AUDIO_SUFFIXES if (audio_dir / f"{utterance_id}{s}").is_file()), None)
    if audio_path is None:
        report.skip("missing audio file", utterance_id)
        return None
    return Utterance(utterance_id, text, audio_path, speaker)


def list_audio_files(directory: str | Path) -> list[Path]:
    """Every .wav/.flac under `directory`, sorted (for vocoder training from a plain folder)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"audio directory not found: {directory}")
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())


def seeded_split(items: list, validation: int | float, seed: int) -> tuple[list, list]:
    """Shuffle with `seed`, hold out `validation` items (a count, or a fraction < 1). Returns (train, val)."""
    import random

    if len(items) < 2:
        raise ValueError(f"need at least 2 items to split into train and validation, got {len(items)}")
    count = int(round(validation * len(items))) if isinstance(validation, float) and validation < 1 else int(validation)
    count = min(max(count, 1), len(items) - 1)
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    held = set(order[:count])
    return [x for i, x in enumerate(items) if i not in held], [x for i, x in enumerate(items) if i in held]


def file_stem(utterance_id: str) -> str:
    """A file name for an id (ids may contain '/' in multi-speaker sets)."""
    return utterance_id.replace("/", "__")
