"""Scorers for synthesized or recorded speech: Whisper transcription + WER/CER, and DNSMOS."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

SCORER_RATE = 16000
"""Whisper and DNSMOS both take 16 kHz audio."""

EXTRA_HINT = 'pip install "flowmap-tts[eval]"  (faster-whisper, whisper-normalizer, jiwer, speechmos, swift-f0, librosa)'


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(f"{module} is needed for evaluation: {EXTRA_HINT}") from error


def to_scorer_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    from vocoder.audio_io import resample

    return resample(np.asarray(samples, dtype=np.float32), sample_rate, SCORER_RATE)


class WhisperTranscriber:
    """`transcriber(samples_16k) -> text`, with faster-whisper (a model name or a local CTranslate2 directory)."""

    def __init__(self, model: str, device: str = "cpu", threads: int = 2):
        faster_whisper = _require("faster_whisper")
        self.name = f"Whisper {Path(model).name if Path(model).exists() else model}"
        self.model = faster_whisper.WhisperModel(model, device=device, compute_type="int8", cpu_threads=threads)

    def __call__(self, samples: np.ndarray) -> str:
        segments, _ = self.model.transcribe(samples, language="en", beam_size=5, vad_filter=False)
        return " ".join(segment.text.strip() for segment in segments)


@functools.lru_cache(maxsize=1)
def _english_normalizer():
    """Whisper's English text normalizer (it reads its spelling table when made: made once)."""
    return _require("whisper_normalizer.english").EnglishTextNormalizer()


def error_rates(references: list[str], hypotheses: list[str]) -> dict:
    """Corpus WER and CER (%) after Whisper's English text normalizer, as ASR evaluations report them."""
    jiwer = _require("jiwer")
    normalizer = _english_normalizer()
    refs = [normalizer(r) for r in references]
    hyps = [normalizer(h) for h in hypotheses]
    # An utterance that normalizes to nothing would crash jiwer; it cannot be scored.
    pairs = [(r, h) for r, h in zip(refs, hyps) if r.strip()]
    if not pairs:
        return {"wer": None, "cer": None, "scored": 0}
    refs, hyps = [r for r, _ in pairs], [h for _, h in pairs]
    return {"wer": 100 * jiwer.wer(refs, hyps), "cer": 100 * jiwer.cer(refs, hyps), "scored": len(pairs)}


def heard_distance(transcript: str, heard: str) -> float | None:
    """Character error rate (0-1) of what a recognizer heard against one transcript, after Whisper's
    English normalizer, with spaces left out and the digits heard joined first: Whisper writes a spoken
    phone number as "1-8-0-0-5-5-5" or "1800 555", which its normalizer would read as "one 8 0 0 5 5 5"
    against the transcript's "1800555". None when the transcript normalizes to nothing."""
    normalize = _english_normalizer()
    reference = re.sub(r"\s+", "", normalize(transcript))
    if not reference:
        return None
    hypothesis = re.sub(r"\s+", "", normalize(re.sub(r"(?<=\d)[-.\s]+(?=\d)", "", heard)))
    return float(_require("jiwer").cer(reference, hypothesis)) if hypothesis else 1.0


def dnsmos(samples: np.ndarray) -> dict:
    """DNSMOS of 16 kHz samples: {'ovrl', 'sig', 'bak', 'p808'} (speechmos ships the ONNX models)."""
    speechmos = _require("speechmos.dnsmos")
    # Resampling can overshoot full scale by a hair; DNSMOS refuses anything outside [-1, 1].
    result = speechmos.run(np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0), sr=SCORER_RATE)
    return {"ovrl": float(result["ovrl_mos"]), "sig": float(result["sig_mos"]), "bak": float(result["bak_mos"]), "p808": float(result["p808_mos"])}
