"""Pitch-moved copies of part of the corpus, so that a decoder given the F0 must follow it.

    PRAAT_PYTHON recipes/default-voice/pitch_shift.py DATA_DIR [--fraction 0.33] [--seed 1234]

The teacher's F0 is mostly predictable from the phonemes, so a decoder given the true F0 beside them
learns to lean on it only weakly (docs/default-voice-history.md, 2026-12-05: a 4-semitone request moved
the voice by 0.14). Here a seeded fraction of the training recordings is spoken again with its F0
contour moved, shifted by -4 to +4 semitones and its spread around the utterance's median scaled by 0.6
to 1.5, by Praat's PSOLA (pitch-synchronous overlap-add), which keeps the waveform's own periods and so
the voice's timbre. The text cannot predict those moves; the F0 the feature cache measures on the
copies (SwiftF0, as on every recording) can.

Why PSOLA: on 8 recordings, DNSMOS OVRL 3.211 as recorded; PSOLA 3.186 unmoved, 3.199 at +4 st, 3.197
and 3.215 at spread 0.5 and 1.5; WORLD (pyworld, F0 from SwiftF0) 3.045 unmoved and 3.010 at +4 st. Both
fall at -4 st (2.60 and 2.40): the voice then sits near 70 Hz.

Praat is GPL (praat-parselmouth): this script imports nothing of this package and runs in its own
process, as the teacher does; give it a Python with `pip install praat-parselmouth soundfile numpy`.
Writes DATA_DIR/wavs/ps_<id>.wav (24 kHz, level matched to the original) and DATA_DIR/metadata-shifted.csv:
every row of metadata.csv plus one row per copy, with the same text. Resumable: a copy already written
is kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import soundfile as sf

SHIFT_ST = (-4.0, 4.0)
"""Uniform shift of the contour, semitones: the steering targets ask for +-4."""
SPREAD = (0.6, 1.5)
"""Uniform scale of the contour around its median (semitones): the targets ask for 0.5 and 1.5."""
PITCH_FLOOR_HZ, PITCH_CEILING_HZ = 60.0, 400.0
"""Praat's periodicity search for the pitch marks: this voice speaks at about 90 Hz."""
PREFIX = "ps_"


def speak_again(samples: np.ndarray, rate: int, shift_st: float, spread: float) -> np.ndarray:
    """A recording (float, mono) spoken again by PSOLA with its F0 contour moved, at its own RMS level."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(samples.astype(np.float64), rate)
    manipulation = call(sound, "To Manipulation", 0.01, PITCH_FLOOR_HZ, PITCH_CEILING_HZ)
    tier = call(manipulation, "Extract pitch tier")
    median = call(sound.to_pitch(0.01, PITCH_FLOOR_HZ, PITCH_CEILING_HZ), "Get quantile", 0, 0, 0.5, "Hertz")
    if not np.isfinite(median):  # nothing voiced: the copy is the recording
        return samples.astype(np.float32)
    call(tier, "Formula", f"{median} * (self / {median}) ^ {spread} * 2 ^ ({shift_st} / 12)")
    call([tier, manipulation], "Replace pitch tier")
    moved = call(manipulation, "Get resynthesis (overlap-add)").values[0][: len(samples)]
    level = np.sqrt(np.mean(samples.astype(np.float64) ** 2)) / max(1e-9, float(np.sqrt(np.mean(moved**2))))
    return np.clip(moved * level, -1.0, 1.0).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--fraction", type=float, default=0.33, help="share of the training recordings given a copy")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be in (0, 1]")

    rows = [row for row in (args.data_dir / "metadata.csv").read_text(encoding="utf-8").splitlines() if row.strip()]
    order = np.random.default_rng(args.seed).permutation(len(rows))
    chosen = sorted(order[: round(args.fraction * len(rows))])
    copies, written = [], 0
    for number, index in enumerate(chosen):
        utterance_id, text = rows[index].split("|", 1)
        target = args.data_dir / "wavs" / f"{PREFIX}{utterance_id}.wav"
        if not target.exists():
            draw = np.random.default_rng([args.seed, int(index)])
            shift, spread = draw.uniform(*SHIFT_ST), draw.uniform(*SPREAD)
            samples, rate = sf.read(args.data_dir / "wavs" / f"{utterance_id}.wav", dtype="float32")
            partial = target.with_name(target.stem + ".part.wav")
            sf.write(partial, speak_again(samples, rate, shift, spread), rate, subtype="PCM_16")
            partial.replace(target)  # a copy killed half-written is made again
            written += 1
        copies.append(f"{PREFIX}{utterance_id}|{text}")
        if (number + 1) % 200 == 0:
            print(f"{number + 1}/{len(chosen)} copies", flush=True)
    (args.data_dir / "metadata-shifted.csv").write_text("\n".join(rows + copies) + "\n", encoding="utf-8")
    print(f"{len(copies)} pitch-moved copies ({written} written now) of {len(rows)} recordings -> {args.data_dir / 'metadata-shifted.csv'}")


if __name__ == "__main__":
    main()
