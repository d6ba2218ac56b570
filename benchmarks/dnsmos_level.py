"""DNSMOS against playback level: how much of a volume setting's DNSMOS change is the level itself.

DNSMOS's overall model (SIG/BAK/OVRL) reads the waveform as it is, without normalizing its level, so the
same speech scores differently louder or quieter. Each sentence is spoken once at neutral and scored
at 1/4, 1/2 and 1 of its level, and at twice its level kept inside full scale three ways: clipped
sample by sample (what the synthesizer does), through a soft knee, and through a peak limiter (instant
attack, 50 ms release). If all three of the last agree, a louder setting's DNSMOS loss is the level,
not the distortion its peaks get.

    python benchmarks/dnsmos_level.py --sentences data/default-voice/texts/test.txt --count 30
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

import tts
from tts.audio import rms_dbfs
from tts.audio.resampling import resample
from tts.evaluation.run import read_sentences
from tts.evaluation.scorers import SCORER_RATE, dnsmos


def peak_limited(samples: np.ndarray, rate: int, release_ms: float = 50.0, ceiling: float = 0.98) -> np.ndarray:
    """`samples` through a peak limiter with instant attack: the gain follows the peak envelope
    env[n] = max_k |x[k]| a^(n-k) (a: the release's decay per sample), computed in the log domain as a
    running maximum so it needs no Python loop over samples."""
    decay = -1.0 / (release_ms / 1000 * rate)  # log a
    n = np.arange(len(samples))
    magnitude = np.log(np.maximum(np.abs(samples.astype(np.float64)), 1e-9))
    envelope = np.exp(np.maximum.accumulate(magnitude - n * decay) + n * decay)
    return (samples * np.minimum(1.0, ceiling / envelope)).astype(np.float32)


def soft_knee(samples: np.ndarray, knee: float = 0.7) -> np.ndarray:
    """Identity below `knee`, a tanh curve from there to full scale."""
    magnitude = np.abs(samples)
    over = magnitude > knee
    magnitude[over] = knee + (1 - knee) * np.tanh((magnitude[over] - knee) / (1 - knee))
    return (np.sign(samples) * magnitude).astype(np.float32)


VARIANTS = {
    "1/4 level (-12 dB)": lambda x, rate: x * 0.25,
    "1/2 level (-6 dB)": lambda x, rate: x * 0.5,
    "as spoken": lambda x, rate: x,
    "twice (+6 dB), clipped": lambda x, rate: np.clip(2 * x, -1.0, 1.0),
    "twice (+6 dB), soft knee": lambda x, rate: soft_knee(2 * x),
    "twice (+6 dB), peak limiter": lambda x, rate: peak_limited(2 * x, rate),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", default=None, help="voice directory (default: the embedded voice)")
    parser.add_argument("--sentences", required=True, help="id|text rows")
    parser.add_argument("--count", type=int, default=30, help="the first COUNT rows (default 30)")
    args = parser.parse_args()
    voice = tts.load(args.voice) if args.voice else tts.load()
    ovrl: dict[str, list[float]] = {name: [] for name in VARIANTS}
    level: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _, text in read_sentences(args.sentences)[: args.count]:
        audio = voice.synthesize(text)
        spoken = audio.samples.astype(np.float32)
        spoken_db = rms_dbfs(spoken)
        for name, variant in VARIANTS.items():
            samples = variant(spoken, audio.sample_rate)  # each variant returns a new array
            ovrl[name].append(dnsmos(resample(samples, audio.sample_rate, SCORER_RATE))["ovrl"])
            level[name].append(rms_dbfs(samples) - spoken_db)
    print(f"{args.count} sentences from {args.sentences}")
    print("| | RMS change (median) | DNSMOS OVRL (mean) |\n| --- | ---: | ---: |")
    for name in VARIANTS:
        print(f"| {name} | {statistics.median(level[name]):+.2f} dB | {statistics.mean(ovrl[name]):.3f} |")


if __name__ == "__main__":
    main()
