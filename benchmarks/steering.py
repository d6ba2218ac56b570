"""Steering measured: each control requested, and what the audio realizes, on held-out sentences.

For every sentence the voice speaks it at neutral and under each setting; F0 comes from the same
tracker as `tts eval`'s (SwiftF0, tts.data.pitch) on the output audio.

- pitch +-2 and +-4 semitones: the median F0's shift in semitones (target: within 0.5 of the request);
- range 0.5 and 1.5: the F0 spread (10th to 90th percentile, semitones) against neutral's (within 15%);
- strong emphasis on one word (the sentence's longest): that word's F0 peak against the same word
  unemphasized (at least +2 semitones) and its duration (at least 10% longer), by the word timings;
- volume +-6 dB: the RMS change (within 1 dB).

Pitch and range need a voice with prosody conditioning; on another voice they are skipped and said so.
With --asr-model and --mos, WER and DNSMOS of every setting are printed beside neutral's.

--calibrate measures how far the voice's pitch and range come out as asked under its present
calibration (a least-squares slope over the pitch and range settings) and prints the gains that make
a request come out as asked, one for each side of neutral (up and down, wider and narrower); --write
stores them in VOICE/acoustic/config.json (model.prosody.pitch_gain, pitch_gain_down, range_gain and
range_gain_narrow). Each run refines the gains the voice has (an uncalibrated voice has gains of 1).
Calibrate on training sentences, then measure on held-out ones:

    python benchmarks/steering.py --voice DIR --sentences data/default-voice/metadata.csv --count 40 --calibrate --write

    python benchmarks/steering.py --sentences data/default-voice/test.csv --count 60 --plot docs/steering-f0.png
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

import tts
from tts.data.pitch import track
from tts.evaluation import run
from tts.model.config import STEERING_GAINS

TARGETS = {"pitch": 0.5, "range": 0.15, "emphasis_st": 2.0, "emphasis_length": 1.10, "volume": 1.0}


def settings(steerable: bool) -> list[tuple[str, dict]]:
    chosen = [("volume +6 dB", {"volume": 6.0}), ("volume -6 dB", {"volume": -6.0})]
    if steerable:
        chosen = [(f"pitch {p:+g} st", {"pitch": p}) for p in (-4.0, -2.0, 2.0, 4.0)] + [(f"range {r:g}", {"pitch_range": r}) for r in (0.5, 1.5)] + chosen
    return chosen


def f0_stats(samples: np.ndarray, rate: int) -> tuple[float, float] | None:
    """(median F0 in semitones above 55 Hz, 10th-90th percentile spread in semitones) of voiced frames."""
    _, f0 = track(samples, rate)
    voiced = f0[~np.isnan(f0)]
    if len(voiced) < 5:
        return None
    semitones = 12 * np.log2(voiced / 55.0)
    low, median, high = np.percentile(semitones, [10, 50, 90])
    return float(median), float(high - low)


def rms_db(samples: np.ndarray) -> float:
    return 20 * math.log10(max(1e-9, float(np.sqrt(np.mean(np.square(samples))))))


def word_peak(audio, word: str) -> tuple[float, float] | None:
    """(F0 peak in semitones above 55 Hz, seconds) of `word` in `audio`, by its word timing."""
    timings = [w for w in audio.words if w.text == word]
    if not timings:
        return None
    start, end = timings[0].start, timings[0].end
    samples = audio.samples[int(start * audio.sample_rate) : int(end * audio.sample_rate)]
    if len(samples) < 0.05 * audio.sample_rate:  # a word given no audio of its own (timings at a clause edge)
        return None
    _, f0 = track(samples, audio.sample_rate)
    voiced = f0[~np.isnan(f0)]
    peak = float(12 * np.log2(np.percentile(voiced, 90) / 55.0)) if len(voiced) >= 2 else float("nan")
    return peak, end - start


def emphasis_markup(text: str) -> tuple[str, str, str] | None:
    """(plain SSML, SSML with the longest word strongly emphasized, that word) of a sentence."""
    words = text.split()
    candidates = [(len(w.strip(".,;:!?\"'")), i) for i, w in enumerate(words) if w.strip(".,;:!?\"'").isalpha()]
    if not candidates:
        return None
    _, index = max(candidates)
    word = words[index].strip(".,;:!?\"'")
    marked = [escape(w) for w in words]
    marked[index] = escape(words[index]).replace(escape(word), f'<emphasis level="strong">{escape(word)}</emphasis>', 1)
    return f"<speak>{' '.join(escape(w) for w in words)}</speak>", f"<speak>{' '.join(marked)}</speak>", word


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voice", default=None)
    parser.add_argument("--sentences", required=True, help="id|text lines")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--asr-model", default=None)
    parser.add_argument("--mos", action="store_true", help="DNSMOS of every setting")
    parser.add_argument("--plot", default=None, help="one sentence's F0 contour under each setting (PNG)")
    parser.add_argument("--json", default=None)
    parser.add_argument("--calibrate", action="store_true", help="measure the pitch and range gains, refining the voice's present ones")
    parser.add_argument("--write", action="store_true", help="with --calibrate: store the gains in the voice's acoustic/config.json")
    parser.add_argument(
        "--keep", action="append", default=[], choices=STEERING_GAINS,
        help="with --calibrate: leave this gain as the voice has it (repeatable), e.g. a side whose response bends",
    )
    args = parser.parse_args()
    if args.write and not (args.calibrate and args.voice):
        parser.error("--write needs --calibrate and --voice")

    voice = tts.load(args.voice, threads=args.threads)
    texts = [text for _, text in run.read_sentences(args.sentences, args.count)]
    if args.calibrate:
        if not voice.steerable:
            parser.error("--calibrate needs a voice with prosody conditioning")
        calibrate(voice, texts, args.voice if args.write else None, keep=args.keep)
        return
    chosen = settings(voice.steerable)
    neutral = [voice.synthesize(text) for text in texts]
    audio = {name: [voice.synthesize(text, **options) for text in texts] for name, options in chosen}
    rows = []
    for name, options in chosen:
        realized = []
        for plain, steered in zip(neutral, audio[name]):
            if "volume" in options:
                realized.append(rms_db(steered.samples) - rms_db(plain.samples))
                continue
            a, b = f0_stats(plain.samples, plain.sample_rate), f0_stats(steered.samples, steered.sample_rate)
            if a and b:
                realized.append(b[0] - a[0] if "pitch" in options else b[1] / a[1])
        value = statistics.median(realized) if realized else float("nan")
        requested = options.get("pitch", options.get("pitch_range", options.get("volume")))
        if "pitch_range" in options:
            met = abs(value / requested - 1) <= TARGETS["range"]
        else:
            met = abs(value - requested) <= TARGETS["pitch" if "pitch" in options else "volume"]
        rows.append({"setting": name, "requested": requested, "realized": value, "met": bool(met), "sentences": len(realized)})

    peaks, lengths = [], []
    for text in texts:
        markup = emphasis_markup(text)
        if markup is None:
            continue
        plain_ssml, strong_ssml, word = markup
        a, b = word_peak(voice.synthesize(plain_ssml), word), word_peak(voice.synthesize(strong_ssml), word)
        if a and b:
            lengths.append(b[1] / a[1])
            if not (math.isnan(a[0]) or math.isnan(b[0])):
                peaks.append(b[0] - a[0])
    if lengths:
        rows.append({"setting": "strong emphasis: word length", "requested": ">= 1.10", "realized": statistics.median(lengths),
                     "met": statistics.median(lengths) >= TARGETS["emphasis_length"], "sentences": len(lengths)})
    if peaks:
        rows.append({"setting": "strong emphasis: F0 peak (st)", "requested": ">= +2", "realized": statistics.median(peaks),
                     "met": statistics.median(peaks) >= TARGETS["emphasis_st"], "sentences": len(peaks)})

    quality = {}
    if args.asr_model or args.mos:
        from tts.evaluation.scorers import WhisperTranscriber, dnsmos

        transcriber = WhisperTranscriber(args.asr_model, threads=args.threads) if args.asr_model else None
        for name, spoken in [("neutral", neutral), *audio.items()]:
            quality[name] = run.score([a.samples for a in spoken], voice.sample_rate, texts, transcriber, dnsmos if args.mos else None)
            quality[name].pop("transcripts", None)

    print(f"{voice.name}: {len(texts)} sentences from {args.sentences}; {'steerable' if voice.steerable else 'no prosody conditioning: pitch and range skipped'}")
    print("| setting | requested | realized (median) | target met | sentences |")
    print("| --- | ---: | ---: | --- | ---: |")
    for row in rows:
        realized = f"{row['realized']:+.2f}" if isinstance(row["realized"], float) else row["realized"]
        print(f"| {row['setting']} | {row['requested']} | {realized} | {'yes' if row['met'] else 'no'} | {row['sentences']} |")
    for name, scores in quality.items():
        print(f"{name}: " + ", ".join(f"{key} {value:.3f}" for key, value in scores.items() if isinstance(value, float)))
    if args.plot:
        plot(texts[0], voice, chosen, args.plot)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "quality": quality}, indent=1) + "\n")


def calibrate(voice, texts: list[str], write_to: str | None, keep: list[str] = ()) -> None:
    """Print (and with `write_to`, store) the gains under which the voice's pitch and range requests
    come out as asked. Measured under the voice's present gains and multiplied into them, so a second
    run refines the first where the decoder's response bends (an uncalibrated voice has gains of 1)."""
    from model_files.typed_config import save_json

    prosody = voice.acoustic.config.prosody
    neutral = [f0_stats(voice.synthesize(text).samples, voice.sample_rate) for text in texts]
    asked, shift, spread_asked, spread = [], [], [], []
    for name, options in settings(True):
        if "volume" in options:
            continue
        for text, plain in zip(texts, neutral):
            steered = f0_stats(voice.synthesize(text, **options).samples, voice.sample_rate)
            if plain is None or steered is None:
                continue
            if "pitch" in options:
                asked.append(options["pitch"])
                shift.append(steered[0] - plain[0])
            else:
                spread_asked.append(options["pitch_range"] - 1)
                spread.append(steered[1] / plain[1] - 1)
    # realized = slope * asked on each side of neutral (a decoder follows one way further than the
    # other), so the gain that realizes a request is the present one / slope.
    asked, shift, spread_asked, spread = (np.array(values) for values in (asked, shift, spread_asked, spread))
    slopes = {
        "pitch_gain": _slope(asked, shift, asked > 0),
        "pitch_gain_down": _slope(asked, shift, asked < 0),
        "range_gain": _slope(spread_asked, spread, spread_asked > 0),
        "range_gain_narrow": _slope(spread_asked, spread, spread_asked < 0),
    }
    present = prosody.side_gains
    gains = {name: present[name] if name in keep else round(present[name] / slope, 3) for name, slope in slopes.items()}
    print(f"{len(texts)} sentences realize " + ", ".join(f"{slope:.3f} of the request ({name} {present[name]})" for name, slope in slopes.items()))
    print("calibrated: " + ", ".join(f"{name} {gain}" for name, gain in gains.items()))
    if write_to is not None:
        path = Path(write_to) / "acoustic" / "config.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["model"]["prosody"].update(gains)
        save_json(data, path)
        print(f"wrote {path}")


def _slope(asked: np.ndarray, realized: np.ndarray, side: np.ndarray) -> float:
    """Least-squares slope through zero of realized against asked, over one side's settings."""
    if not side.any():
        raise SystemExit("calibration: no sentence gave F0 at one side's settings")
    return float(np.dot(asked[side], realized[side]) / np.dot(asked[side], asked[side]))


def plot(text: str, voice, chosen: list[tuple[str, dict]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(10, 4.5), constrained_layout=True)
    for name, options in [("neutral", {}), *[(n, o) for n, o in chosen if "volume" not in o]]:
        spoken = voice.synthesize(text, **options)
        times, f0 = track(spoken.samples, spoken.sample_rate)
        axis.plot(times, f0, label=name, linewidth=1.4)
    axis.set_xlabel("seconds")
    axis.set_ylabel("F0 (Hz, SwiftF0)")
    axis.set_title(text[:90])
    axis.legend(ncol=4, fontsize=8)
    axis.grid(alpha=0.3)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    print(f"plot: {path}")


if __name__ == "__main__":
    main()
