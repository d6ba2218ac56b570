"""Fixed post-filters between the networks, screened by DNSMOS against the voice as it speaks: whether a
filter on the mel (before the vocoder) or on the vocoder's STFT magnitude (before its inverse STFT)
buys naturalness without retraining.

    python benchmarks/post_filters.py --sentences data/default-voice/screen.csv [--voice DIR] [--limit 59] \
        FILTER [FILTER ...]

Each FILTER is applied alone on top of the voice's own defaults (its `sharpen` included):

- `mel-time:K:G`: every mel band's deviation from its K-frame moving average scaled by G (temporal
  sharpening: onsets and word-final consonants).
- `mel-wide:K:G`: a second frequency sharpening, the deviation from a K-band average scaled by G.
- `stft-smooth:K:A[:LO-HI]`: the vocoder's log-magnitude moved a fraction A toward its K-bin moving
  average across frequency, in the bins from LO to HI Hz (default all).
- `stft-gain:DB[:LO-HI]`: a gain of DB decibels on the vocoder's magnitude from LO to HI Hz.

Prints DNSMOS (overall, signal, background, P.808) and RMS level per filter, and each filter's mean
paired difference from the unfiltered audio with its standard error. DNSMOS overall rises as audio
gets quieter (model card), so read a gain beside its RMS. Needs the `eval` extra and ONNX graphs.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

import tts
from tts.engine.sharpening import band_average
from tts.evaluation.run import read_sentences
from tts.evaluation.scorers import dnsmos, to_scorer_rate
from vocoder.istft import istft


def moving_average(x: np.ndarray, width: int, axis: int) -> np.ndarray:
    """Moving average of `x` over `width` (odd; `band_average` checks it) neighbours along `axis`, edges repeated."""
    moved = np.moveaxis(x.astype(np.float64), axis, -2)
    return np.moveaxis(band_average(moved, width), -2, axis)


def parse_band(text: str | None) -> tuple[float, float]:
    if text is None:
        return 0.0, float("inf")
    low, high = text.split("-")
    return float(low), float(high)


class Filter:
    """One FILTER argument: `mel(mel (n_mels, T))` and `spectrum(log_magnitude (bins, T), freqs (bins,))`."""

    def __init__(self, spec: str):
        self.spec = spec
        kind, *values = spec.split(":")
        self.kind = kind
        if kind in ("mel-time", "mel-wide") and len(values) == 2:
            self.width, self.amount = int(values[0]), float(values[1])
        elif kind == "stft-smooth" and len(values) in (2, 3):
            self.width, self.amount = int(values[0]), float(values[1])
            self.band = parse_band(values[2] if len(values) == 3 else None)
        elif kind == "stft-gain" and len(values) in (1, 2):
            self.amount = float(values[0]) * np.log(10) / 20
            self.band = parse_band(values[1] if len(values) == 2 else None)
        elif kind != "none":
            raise SystemExit(f"unknown filter {spec!r} (see --help)")

    @property
    def on_mel(self) -> bool:
        return self.kind in ("mel-time", "mel-wide")

    def mel(self, mel: np.ndarray) -> np.ndarray:
        if not self.on_mel:
            return mel
        smooth = moving_average(mel, self.width, axis=-1 if self.kind == "mel-time" else -2)
        return (smooth + self.amount * (mel - smooth)).astype(np.float32)

    def spectrum(self, log_magnitude: np.ndarray, frequencies: np.ndarray) -> np.ndarray:
        if not self.kind.startswith("stft"):
            return log_magnitude
        inside = ((frequencies >= self.band[0]) & (frequencies < self.band[1]))[:, None]
        if self.kind == "stft-gain":
            return log_magnitude + self.amount * inside
        return log_magnitude + self.amount * inside * (moving_average(log_magnitude, self.width, axis=0) - log_magnitude)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("filters", nargs="+")
    parser.add_argument("--voice", default=None, help="a voice bundle directory (default: the embedded voice)")
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    voice = tts.load(args.voice, threads=args.threads)
    vocoder = voice.vocoder
    if not vocoder.graphs:
        raise SystemExit("the voice's vocoder has no ONNX graph (tts export-graphs)")
    config = vocoder.mel_config
    frequencies = np.arange(config.n_fft // 2 + 1) * config.sample_rate / config.n_fft
    filters = [Filter("none")] + [Filter(spec) for spec in args.filters]
    scores: dict[str, list[dict]] = {f.spec: [] for f in filters}
    for _, text in read_sentences(args.sentences, args.limit):
        for mel in voice.mels(text):
            unfiltered = vocoder.coefficients(mel[None])  # shared by every filter that leaves the mel alone
            for post in filters:
                real, imaginary = vocoder.coefficients(post.mel(mel)[None]) if post.on_mel else unfiltered
                log_magnitude = np.log(np.hypot(real, imaginary)[0] + 1e-9)
                gain = np.exp(post.spectrum(log_magnitude, frequencies) - log_magnitude)[None].astype(np.float32)
                samples = np.clip(istft(real * gain, imaginary * gain, config.n_fft, config.hop_length, vocoder.window)[0], -1, 1)
                scores[post.spec].append({**dnsmos(to_scorer_rate(samples, config.sample_rate)), "rms": float(np.sqrt(np.mean(samples**2)))})
    base = scores["none"]
    print(f"{'filter':28s} {'ovrl':>6s} {'sig':>6s} {'bak':>6s} {'p808':>6s} {'rms':>7s}  paired overall / P.808 against none")
    for spec, rows in scores.items():
        means = [statistics.mean(row[key] for row in rows) for key in ("ovrl", "sig", "bak", "p808", "rms")]
        line = f"{spec:28s} " + " ".join(f"{m:6.3f}" for m in means[:4]) + f" {means[4]:7.4f}"
        if spec != "none":
            overall = [row["ovrl"] - ref["ovrl"] for row, ref in zip(rows, base)]
            p808 = [row["p808"] - ref["p808"] for row, ref in zip(rows, base)]
            error = statistics.stdev(overall) / len(overall) ** 0.5
            line += f"  {statistics.mean(overall):+.3f} ± {error:.3f} / {statistics.mean(p808):+.3f}"
        print(line)


if __name__ == "__main__":
    main()
