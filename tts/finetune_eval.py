"""A fine-tuned voice scored on recordings held out of its training, beside the recordings themselves
and the voice it started from.

`hold_out` sets the test recordings aside before training (`data/test.csv`; the trainers read
`data/train.csv`). `evaluate_finetuned` then speaks their sentences with the new voice and the base voice
and scores all three sets alike: WER and CER (Whisper, with `asr_model`), DNSMOS, and closeness to the
speaker (median F0, F0 range, mel-cepstral distance; `tts.evaluation.speaker`). `copy_synthesis` also
sends the recordings' own mels through each vocoder: the DNSMOS that vocoder allows whatever the acoustic
model gives it, which tells the two networks' shares of a voice's loss apart. Each scorer is optional:
one whose package is missing is skipped and named, never fatal, because the scores come after the
training's hours.
"""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

from tts.evaluation.speaker import available as speaker_available

TRAIN_FILE = "train.csv"
TEST_FILE = "test.csv"
RESULTS = "eval.json"
SEED = 1234


def default_test_count(kept: int) -> int:
    """Recordings held out by default: a tenth, at most 100; none from fewer than 30."""
    return 0 if kept < 30 else min(100, kept // 10)


def hold_out(data_dir: Path, count: int, seed: int = SEED) -> tuple[Path, int]:
    """Split `data_dir/metadata.csv` (id|text rows) into `train.csv` and `test.csv` (`count` rows drawn
    with `seed`, in their original order). Returns (train.csv, rows held out). Deterministic, so a
    resumed run holds out the same recordings."""
    rows = [row for row in (data_dir / "metadata.csv").read_text(encoding="utf-8").splitlines() if row.strip()]
    if not 0 <= count <= len(rows) - 2:
        raise ValueError(f"cannot hold out {count} of {len(rows)} recordings: training needs at least 2")
    chosen = set(random.Random(seed).sample(range(len(rows)), count))
    train = [row for i, row in enumerate(rows) if i not in chosen]
    test = [row for i, row in enumerate(rows) if i in chosen]
    (data_dir / TRAIN_FILE).write_text("".join(f"{row}\n" for row in train), encoding="utf-8")
    test_path = data_dir / TEST_FILE
    if test:
        test_path.write_text("".join(f"{row}\n" for row in test), encoding="utf-8")
    elif test_path.exists():
        test_path.unlink()
    return data_dir / TRAIN_FILE, len(test)


def available_scorers(asr_model: str | None) -> tuple[dict, list[str]]:
    """The scorers that can run here ({"asr", "dnsmos", "speaker"}: True) and a line per one that cannot."""
    present = lambda *modules: all(importlib.util.find_spec(m) is not None for m in modules)  # noqa: E731
    scorers, skipped = {}, []
    if asr_model is None:
        skipped.append("WER/CER: no --asr-model given")
    elif present("faster_whisper", "jiwer", "whisper_normalizer"):
        scorers["asr"] = True
    else:
        skipped.append("WER/CER: faster-whisper, jiwer or whisper-normalizer is not installed")
    if present("speechmos"):
        scorers["dnsmos"] = True
    else:
        skipped.append("DNSMOS: speechmos is not installed")
    if speaker_available():
        scorers["speaker"] = True
    else:
        skipped.append("F0 and MCD: swift-f0 or librosa is not installed")
    return scorers, skipped


def evaluate_finetuned(out: Path, base: Path, asr_model: str | None = None, threads: int | None = 2, transcriber=None) -> dict | None:
    """Score `out` (the new voice) and `base` on `out/data/test.csv` against its recordings; write
    `out/eval.json` and return it. None when nothing was held out. `transcriber`: `asr_model` already
    loaded."""
    import tts
    from tts.evaluation import run
    from tts.evaluation.scorers import SCORER_RATE

    test = out / "data" / TEST_FILE
    if not test.is_file():
        return None
    sentences = run.read_sentences(test)
    scorers, skipped = available_scorers(asr_model)
    if not scorers.get("asr"):
        transcriber = None
    elif transcriber is None:
        from tts.evaluation.scorers import WhisperTranscriber

        transcriber = WhisperTranscriber(asr_model, threads=threads or 2)
    quality = None
    if scorers.get("dnsmos"):
        from tts.evaluation.scorers import dnsmos as quality
    recordings = run.load_references(out / "data" / "wavs", sentences)
    closeness = recordings if scorers.get("speaker") else None
    results = {"test_recordings": len(sentences), "asr_model": asr_model if transcriber else None, "threads": threads, "skipped": skipped}
    for name, directory in (("voice", out), ("base", base)):
        voice = tts.load(directory, threads=threads)
        (scored,) = run.evaluate_voice(voice, sentences, transcriber, quality, settings=[("flow_map", voice.defaults.steps)], references=closeness)
        results[name] = _scores(scored.wer, scored.cer, scored.dnsmos_ovrl, scored.dnsmos_p808, scored.speaker or {})
        results[name]["rtf"] = scored.rtf
    texts = [text for _, text in sentences]
    recorded = run.score(recordings, SCORER_RATE, texts, transcriber, quality)
    pitch = {}
    if closeness is not None:
        from tts.evaluation.speaker import pitch as track
        from tts.evaluation.speaker import pitch_summary

        pitch = pitch_summary([track(r, SCORER_RATE) for r in recordings])
    results["recordings"] = _scores(recorded.get("wer"), recorded.get("cer"), recorded.get("dnsmos_ovrl"), recorded.get("dnsmos_p808"), pitch)
    if quality is not None:
        wavs = [out / "data" / "wavs" / f"{utterance_id}.wav" for utterance_id, _ in sentences]
        for name, directory in (("voice", out), ("base", base)):
            results[name]["copy_synthesis"] = copy_synthesis(directory / "vocoder", wavs, quality)
    (out / RESULTS).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def copy_synthesis(vocoder_dir: Path, wavs: list[Path], quality, texts: list[str] | None = None, transcriber=None) -> dict:
    """Mean DNSMOS ({"dnsmos_ovrl", "dnsmos_p808"}) of recordings `wavs` resynthesized by the vocoder in
    `vocoder_dir` from their own log-mels: the most that vocoder gives this speaker, since its input
    is the real thing rather than the acoustic model's estimate. `quality`: audio at 16 kHz -> DNSMOS
    scores (`tts.evaluation.scorers.dnsmos`). With `texts` (one per wav) and a `transcriber`, also
    "wer" and "cer": how much of the voice's intelligibility the vocoder alone keeps."""
    import numpy as np
    import torch

    from tts.evaluation.run import score
    from vocoder.audio_io import load_audio
    from vocoder.features import LogMelSpectrogram
    from vocoder.loading import load_vocoder

    vocoder = load_vocoder(vocoder_dir).eval()
    features = LogMelSpectrogram(vocoder.mel_config)
    rate = vocoder.mel_config.sample_rate
    audios = []
    with torch.inference_mode():
        for path in wavs:
            audio = torch.from_numpy(np.ascontiguousarray(load_audio(path, rate)[0], dtype=np.float32))
            audios.append(vocoder.decode(features(audio)[None])[0].numpy())
    heard = transcriber if texts is not None else None
    scored = score(audios, rate, texts if heard is not None else [""] * len(audios), heard, quality)
    return {key: scored[key] for key in ("wer", "cer", "dnsmos_ovrl", "dnsmos_p808") if key in scored}


def _scores(wer, cer, ovrl, p808, speaker: dict) -> dict:
    return {
        "wer": wer, "cer": cer, "dnsmos_ovrl": ovrl, "dnsmos_p808": p808,
        "f0_median_hz": speaker.get("f0_median_hz"), "f0_range_st": speaker.get("f0_range_st"), "mcd_db": speaker.get("mcd_db"),
    }


def scores_table(results: dict, base_name: str) -> list[str]:
    """The model card's table of `evaluate_finetuned`'s results (markdown lines)."""

    def cell(value, digits=2):
        return "-" if value is None else f"{value:.{digits}f}"

    lines = [
        "| | WER % | CER % | DNSMOS OVRL | DNSMOS P.808 | F0 median Hz | F0 range st | MCD dB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in (("recordings", "the held-out recordings"), ("voice", "this voice"), ("base", f"`{base_name}`, the voice it started from")):
        r = results[key]
        lines.append(
            f"| {label} | {cell(r['wer'])} | {cell(r['cer'])} | {cell(r['dnsmos_ovrl'])} | {cell(r['dnsmos_p808'])} | "
            f"{cell(r['f0_median_hz'], 1)} | {cell(r['f0_range_st'], 1)} | {cell(r['mcd_db'])} |"
        )
    copies = [(label, results[key].get("copy_synthesis")) for key, label in (("voice", "this voice's vocoder"), ("base", f"`{base_name}`'s vocoder"))]
    if all(copy for _, copy in copies):
        lines += [
            "",
            "Copy synthesis: the held-out recordings' own mels through each vocoder (the most that vocoder gives this speaker):",
            "",
            "| vocoder | DNSMOS OVRL | DNSMOS P.808 |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {label} | {cell(copy['dnsmos_ovrl'])} | {cell(copy['dnsmos_p808'])} |" for label, copy in copies]
    return lines
