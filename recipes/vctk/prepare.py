"""VCTK 0.92 -> our multi-speaker layout: data/VCTK/metadata.csv (id|speaker|text) and wavs/<id>.flac.

    python recipes/vctk/prepare.py /path/to/VCTK-Corpus-0.92 data/VCTK

Uses microphone 1 (`*_mic1.flac`); audio is linked, not copied (resampling to 24 kHz happens when the
feature cache is built). Utterances without a transcript are listed at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(source: Path, target: Path) -> None:
    audio_root, text_root = source / "wav48_silence_trimmed", source / "txt"
    if not audio_root.is_dir() or not text_root.is_dir():
        sys.exit(f"{source} does not look like VCTK 0.92 (expected wav48_silence_trimmed/ and txt/)")
    (target / "wavs").mkdir(parents=True, exist_ok=True)
    rows, missing = [], []
    for flac in sorted(audio_root.glob("*/*_mic1.flac")):
        speaker, utterance = flac.parent.name, flac.name.removesuffix("_mic1.flac")
        transcript = text_root / speaker / f"{utterance}.txt"
        if not transcript.is_file():
            missing.append(utterance)
            continue
        link = target / "wavs" / f"{utterance}.flac"
        if not link.exists():
            link.symlink_to(flac.resolve())
        text = " ".join(transcript.read_text(encoding="utf-8").split()).replace("|", " ")
        rows.append(f"{utterance}|{speaker}|{text}")
    (target / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} utterances from {len({r.split('|')[1] for r in rows})} speakers -> {target}/metadata.csv")
    if missing:
        print(f"{len(missing)} without a transcript (skipped), e.g. {', '.join(missing[:5])}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
