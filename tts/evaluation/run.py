"""Evaluate a voice on held-out sentences, and optionally a folder of reference recordings the same way."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tts.evaluation.scorers import SCORER_RATE, to_scorer_rate
from tts.evaluation.speaker import available as speaker_available

SETTINGS = [("flow_map", 1), ("flow_map", 2), ("flow_map", 4), ("euler", 4), ("euler", 8), ("euler", 32)]


@dataclass
class SettingResult:
    sampler: str
    steps: int
    wer: float | None = None
    cer: float | None = None
    dnsmos_ovrl: float | None = None
    dnsmos_p808: float | None = None
    rtf: float = 0.0
    audio_seconds: float = 0.0
    transcripts: list = field(default_factory=list)
    speaker: dict | None = None
    """Closeness to the reference recordings (`tts.evaluation.speaker.speaker_closeness`), when given."""

    @property
    def label(self) -> str:
        return f"{'flow map' if self.sampler == 'flow_map' else 'Euler'} {self.steps}"


def read_sentences(path: str | Path, limit: int | None = None) -> list[tuple[str, str]]:
    """`id|text` lines (LJSpeech metadata or a recipe's test.csv) -> [(id, text)]."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if "|" not in line:
            raise ValueError(f"{path}:{number}: expected 'id|text'")
        utterance_id, text = line.split("|", 1)
        rows.append((utterance_id.strip(), text.split("|")[-1].strip()))
    if not rows:
        raise ValueError(f"{path} has no sentences")
    return rows[:limit] if limit else rows


def score(audios: list[np.ndarray], sample_rate: int, texts: list[str], transcriber, quality) -> dict:
    """WER/CER and mean DNSMOS of audio against texts; either scorer may be None (skipped)."""
    scaled = [to_scorer_rate(a, sample_rate) for a in audios]
    result = {}
    if transcriber is not None:
        from tts.evaluation.scorers import error_rates

        transcripts = [transcriber(a) for a in scaled]
        result.update(error_rates(texts, transcripts))
        result["transcripts"] = transcripts
    if quality is not None:
        scores = [quality(a) for a in scaled]
        result["dnsmos_ovrl"] = statistics.mean(s["ovrl"] for s in scores)
        result["dnsmos_p808"] = statistics.mean(s["p808"] for s in scores)
    return result


def evaluate_voice(
    voice, sentences: list[tuple[str, str]], transcriber=None, quality=None, settings=SETTINGS, seed: int = 0, references=None, **options
) -> list[SettingResult]:
    """Synthesize the sentences at every (sampler, steps) setting, then score each setting.

    `options`: further synthesis options for every setting (e.g. temperature); unset ones are the voice's defaults.
    `references`: the speaker's recordings of the same sentences at 16 kHz (`load_references`), to
    measure each setting's closeness to that speaker (pitch, mel-cepstral distance), when swift-f0
    and librosa are installed (else skipped: `tts eval` says so).

    All timing is done before the first scorer runs: Whisper's and DNSMOS's thread pools slow the
    synthesizer once they have been used (time to first audio 21 -> 31-41 ms on 2 cores).
    """
    texts = [text for _, text in sentences]
    synthesized = []
    for sampler, steps in settings:
        start = time.perf_counter()
        audios = [voice.synthesize(text, steps=steps, sampler=sampler, seed=seed, **options) for text in texts]
        synthesized.append((sampler, steps, audios, time.perf_counter() - start))
    results = []
    for sampler, steps, audios, wall in synthesized:
        seconds = sum(a.duration for a in audios)
        scores = score([a.samples for a in audios], voice.sample_rate, texts, transcriber, quality)
        speaker = None
        if references is not None and speaker_available():
            from tts.evaluation.speaker import speaker_closeness

            speaker = speaker_closeness([to_scorer_rate(a.samples, voice.sample_rate) for a in audios], references)
        results.append(
            SettingResult(
                sampler, steps, scores.get("wer"), scores.get("cer"), scores.get("dnsmos_ovrl"), scores.get("dnsmos_p808"),
                wall / seconds, seconds, scores.get("transcripts", []), speaker,
            )
        )
    return results


def load_references(directory: str | Path, sentences: list[tuple[str, str]]) -> list[np.ndarray]:
    """Recordings `directory/<id>.wav` of the sentences, at the scorers' 16 kHz."""
    from vocoder.audio_io import load_audio

    directory = Path(directory)
    audios = []
    for utterance_id, _ in sentences:
        path = directory / f"{utterance_id}.wav"
        if not path.is_file():
            raise FileNotFoundError(f"reference recording missing: {path}")
        audios.append(load_audio(path, SCORER_RATE)[0])
    return audios


def evaluate_references(directory: str | Path, sentences: list[tuple[str, str]], transcriber=None, quality=None, audios=None) -> dict:
    """Score recordings `directory/<id>.wav` (e.g. the teacher's audio for the same sentences) as the
    voice is scored, plus their pitch; `audios`: the recordings already loaded (`load_references`)."""
    audios = load_references(directory, sentences) if audios is None else audios
    result = score(audios, SCORER_RATE, [text for _, text in sentences], transcriber, quality)
    result["audio_seconds"] = sum(len(a) for a in audios) / SCORER_RATE
    if speaker_available():
        from tts.evaluation.speaker import pitch, pitch_summary

        summary = pitch_summary([pitch(a, SCORER_RATE) for a in audios])
        result.update(f0_median_hz=summary["f0_median_hz"], f0_range_st=summary["f0_range_st"])
    return result


def first_audio_sentences(sentences: list[tuple[str, str]], words: tuple[int, int] = (10, 20), limit: int = 20) -> list[str]:
    """Up to `limit` sentences of 10-20 words (the length of a voice agent's reply sentence), else the first."""
    chosen = [text for _, text in sentences if words[0] <= len(text.split()) <= words[1]]
    return chosen[:limit] or [sentences[0][1]]


def seconds_to_first_chunk(voice, text: str, **options) -> float:
    """Seconds from `voice.stream(text)` to its first chunk."""
    start = time.perf_counter()
    stream = voice.stream(text, **options)
    next(iter(stream))
    elapsed = time.perf_counter() - start
    stream.close()
    return elapsed


def time_to_first_audio(voice, texts: str | list[str], repeats: int = 1, **options) -> dict:
    """Median and p90 ms from `stream(text)` to its first chunk, over texts x repeats.

    Each measurement starts with an empty phoneme cache, as a new reply would, so espeak's time is
    counted; one untimed call first loads espeak and warms the kernels.
    """
    texts = [texts] if isinstance(texts, str) else list(texts)
    seconds_to_first_chunk(voice, "Warming up.")
    times = []
    for _ in range(repeats):
        for text in texts:
            voice.frontend.phonemizer.clear_cache()
            times.append(seconds_to_first_chunk(voice, text, **options))
    times.sort()
    return {
        "median_ms": 1000 * statistics.median(times),
        "p90_ms": 1000 * times[min(len(times) - 1, int(0.9 * len(times)))],
        "measurements": len(times),
    }


def format_table(results: list[SettingResult], reference: dict | None) -> str:
    def cell(value, digits=2):
        return "-" if value is None else f"{value:.{digits}f}"

    speaker = any(r.speaker for r in results)
    head = "| setting | WER % | CER % | DNSMOS ovrl | DNSMOS P.808 | RTF |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    if speaker:
        head += " F0 median Hz | F0 range st | MCD dB |"
        rule += " ---: | ---: | ---: |"
    lines = [head, rule]
    if reference is not None:
        row = f"| reference | {cell(reference.get('wer'))} | {cell(reference.get('cer'))} | {cell(reference.get('dnsmos_ovrl'))} | {cell(reference.get('dnsmos_p808'))} | - |"
        if speaker:
            row += f" {cell(reference.get('f0_median_hz'), 1)} | {cell(reference.get('f0_range_st'), 1)} | - |"
        lines.append(row)
    for r in results:
        row = f"| {r.label} | {cell(r.wer)} | {cell(r.cer)} | {cell(r.dnsmos_ovrl)} | {cell(r.dnsmos_p808)} | {cell(r.rtf, 4)} |"
        if speaker:
            closeness = r.speaker or {}
            row += f" {cell(closeness.get('f0_median_hz'), 1)} | {cell(closeness.get('f0_range_st'), 1)} | {cell(closeness.get('mcd_db'))} |"
        lines.append(row)
    return "\n".join(lines)
