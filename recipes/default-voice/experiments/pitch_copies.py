"""The vocoder's training list with pitch-moved copies: every recording of metadata-first.csv plus the
PSOLA copies (pitch_shift.py) of those recordings whose shift PSOLA speaks cleanly for this voice.

    python recipes/default-voice/experiments/pitch_copies.py DATA_DIR [--lowest -2] [--seed 1234]

Copy synthesis through the shipped vocoder loses 0.26-0.28 DNSMOS OVRL on copies moved 3.5 semitones
either way, against 0.05 on copies barely moved (docs/default-voice-history.md, 2026-12-06): the vocoder
has heard this voice only at its own pitch. Copies moved down past `lowest` are left out: PSOLA writes
them poorly (2.74 at -3.4 st against 3.24 for their recordings), and a vocoder learns what it is shown.
Each copy's shift is drawn again exactly as pitch_shift.py drew it (its seed and the row's index).
Writes DATA_DIR/metadata-vocoder-pitch.csv.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

# pitch_shift.py's draw, repeated here: it is a script in the folder above, not an importable module.
SHIFT_ST = (-4.0, 4.0)
PREFIX = "ps_"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--lowest", type=float, default=-2.0, help="the lowest shift kept, semitones (default -2)")
    parser.add_argument("--seed", type=int, default=1234, help="pitch_shift.py's seed")
    args = parser.parse_args()
    rows = [row for row in (args.data_dir / "metadata.csv").read_text(encoding="utf-8").splitlines() if row.strip()]
    first = {row.split("|", 1)[0] for row in (args.data_dir / "metadata-first.csv").read_text(encoding="utf-8").splitlines() if row.strip()}
    recordings = [row for row in rows if row.split("|", 1)[0] in first]
    copies = []
    for index, row in enumerate(rows):
        utterance_id, text = row.split("|", 1)
        if utterance_id not in first or not (args.data_dir / "wavs" / f"{PREFIX}{utterance_id}.wav").exists():
            continue
        shift = np.random.default_rng([args.seed, index]).uniform(*SHIFT_ST)
        if shift >= args.lowest:
            copies.append(f"{PREFIX}{utterance_id}|{text}")
    out = args.data_dir / "metadata-vocoder-pitch.csv"
    out.write_text("\n".join(recordings + copies) + "\n", encoding="utf-8")
    print(f"{len(recordings)} recordings + {len(copies)} copies moved {args.lowest:+g} st or more -> {out}")


if __name__ == "__main__":
    main()
