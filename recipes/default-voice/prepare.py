"""Stage 3: teacher audio (22.05 kHz) -> 24 kHz 16-bit wavs and LJSpeech-style metadata.

    python recipes/default-voice/prepare.py DATA_DIR

Reads DATA_DIR/texts/{train,test,agent-test}.txt and DATA_DIR/raw/<id>.wav; writes
DATA_DIR/wavs/<id>.wav, DATA_DIR/metadata.csv (train), DATA_DIR/test.csv and DATA_DIR/agent-test.csv
(the two held-out sets: training never sees them), and DATA_DIR/metadata-first.csv (the first corpus,
once the teacher has spoken all of it). Resumable; a wav the teacher spoke again is
converted again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vocoder.audio_io import load_audio, save_audio


def main(root: Path) -> None:
    (root / "wavs").mkdir(exist_ok=True)
    for split, metadata in [("train", "metadata.csv"), ("test", "test.csv"), ("agent-test", "agent-test.csv")]:
        rows, missing, seconds = [], 0, 0.0
        for line in (root / "texts" / f"{split}.txt").read_text(encoding="utf-8").splitlines():
            utterance_id, text = line.split("|", 1)
            source, target = root / "raw" / f"{utterance_id}.wav", root / "wavs" / f"{utterance_id}.wav"
            if not source.exists():
                missing += 1
                continue
            if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
                samples, _ = load_audio(source, 24000)
                save_audio(target, samples, 24000)
            seconds += source.stat().st_size / 2 / 22050
            rows.append(f"{utterance_id}|{text}")
        (root / metadata).write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{split}: {len(rows)} utterances, {seconds / 3600:.2f} h -> {root / metadata}; {missing} not spoken yet")
        if split == "train":
            _first_corpus(root, rows)


def _first_corpus(root: Path, rows: list[str]) -> None:
    """metadata-first.csv: the first corpus (the 6,107 `tr` utterances of fortunes and generated
    sentences, 5.77 h), which the teacher speaks first; written once all of it is spoken, so a run
    on it always sees the same utterances."""
    spoken = {row.split("|", 1)[0] for row in rows}
    first = [line for line in (root / "texts" / "train.txt").read_text(encoding="utf-8").splitlines() if line.startswith("tr")]
    if all(line.split("|", 1)[0] in spoken for line in first):
        (root / "metadata-first.csv").write_text("\n".join(first) + "\n", encoding="utf-8")
        print(f"first corpus: {len(first)} utterances -> {root / 'metadata-first.csv'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
