"""Timing, prosody or rendering? A voice speaks held-out sentences with the durations it predicts,
with the recordings' own durations, and with the recordings' durations and prosody (pitch, voicing
and loudness per phoneme, measured on the recording as training measures them, for a voice with
prosody conditioning); each is scored (WER, CER, DNSMOS), and the first once more with 0.4 s of
silence added at each end (recordings start and end with silence; a voice trimmed of it might be
heard worse at its first word).

Where the recordings' durations and prosody do not lower WER, a voice's intelligibility gap lies in
how its decoder renders the phonemes, not in its timing or its melody. The durations come from
monotonic alignment search of the voice's own encoder against each recording's mel (as the
vocoder's acoustic-mel fine-tune pairs frames); every pass runs on torch with the same decoder
steps, temperature, sharpening and vocoder. Needs the eval and train extras.

    python benchmarks/timing_split.py --voice runs/own-voice --recordings data/standin-jf_nezumi/test/wavs \
        --sentences data/standin-jf_nezumi/test/metadata.csv --count 100 --asr-model data/whisper-base
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from tts.data.features import text_ids
from tts.data.pitch import frame_f0
from tts.engine.sharpening import sharpen_mel
from tts.engine.torch_engine import TorchAcoustic
from tts.evaluation.run import read_sentences, score
from tts.evaluation.scorers import WhisperTranscriber, dnsmos
from tts.model.acoustic import AcousticModel
from tts.model.voice_config import VoiceConfig
from tts.synthesis.options import voice_defaults
from tts.synthesis.planning import model_frontend
from tts.training.acoustic_mels import MelSettings
from tts.training.losses import recorded_prosody
from vocoder.audio_io import load_audio
from vocoder.features import LogMelSpectrogram
from vocoder.loading import load_vocoder

PAD_SECONDS = 0.4


class _GivenProsody(TorchAcoustic):
    """The engine with the prosody predictor's output replaced by `given` (B, 3, N) where set."""

    given: np.ndarray | None = None

    def _encode(self, ids, mask, speaker):
        mu, log_durations, embedding, predicted = super()._encode(ids, mask, speaker)
        return mu, log_durations, embedding, predicted if self.given is None else self.given


def recorded_timing(model, ids: torch.Tensor, mel: torch.Tensor, f0: torch.Tensor) -> tuple[np.ndarray, np.ndarray | None]:
    """ids (N,), the recording's log-mel (n_mels, T) and F0 per frame (T,) -> its frames per phoneme
    (1, N) by alignment search, and its prosody per phoneme (1, 3, N) in the predictor's raw units
    (None for a voice without prosody conditioning)."""
    durations, measured = recorded_prosody(model, ids[None], torch.tensor([len(ids)]), mel[None], torch.tensor([mel.shape[-1]]), f0[None])
    if measured is None:
        return durations.numpy(), None
    pitch, voiced, loudness = measured
    raw = torch.stack([pitch, torch.logit(voiced.clamp(1e-4, 1 - 1e-4)), loudness], 1)  # voicing as a logit, as predicted
    return durations.numpy(), raw.numpy().astype(np.float32)


def add_recording_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every voice-against-its-recordings benchmark takes."""
    parser.add_argument("--voice", required=True, help="a voice bundle (acoustic/ + vocoder/)")
    parser.add_argument("--recordings", required=True, help="folder of <id>.wav: the speaker's recordings of the sentences")
    parser.add_argument("--sentences", required=True, help="id|text rows")
    parser.add_argument("--count", type=int, default=100, help="the first COUNT rows (default 100)")
    parser.add_argument("--asr-model", required=True, help="a faster-whisper model (name or local directory)")


def recorded_sentences(model, frontend, recordings: Path, rows):
    """For each (id, text) row with a recording `recordings/<id>.wav`: (text, phoneme ids (N,), the
    recording's log-mel (n_mels, T), its frames per phoneme (1, N) and prosody per phoneme (1, 3, N) or
    None, from `recorded_timing`)."""
    features = LogMelSpectrogram(model.config.mel)
    rate = model.config.mel.sample_rate
    for name, text in rows:
        samples, _ = load_audio(Path(recordings) / f"{name}.wav", rate)
        ids = torch.tensor(text_ids(frontend, text))
        mel = features(torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)))
        f0 = torch.from_numpy(frame_f0(samples, rate, model.config.mel.hop_length, mel.shape[-1]))
        yield (text, ids, mel, *recorded_timing(model, ids, mel, f0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_recording_arguments(parser)
    parser.add_argument("--sharpen", type=float, help="spectral sharpening (default: the voice's)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    voice = Path(args.voice)
    model = AcousticModel.load(voice / "acoustic", device="cpu").eval()
    defaults = voice_defaults(model.extra.get("synthesis", {}))
    settings = MelSettings(acoustic=str(voice), steps=defaults.steps, temperature=defaults.temperature, sampler="flow_map", seed=0, sharpen=defaults.sharpen if args.sharpen is None else args.sharpen)
    frontend = model_frontend(VoiceConfig.of_model(model).frontend)
    vocoder = load_vocoder(voice / "vocoder").eval()
    rate = model.config.mel.sample_rate
    rows = read_sentences(args.sentences, args.count)

    engine = _GivenProsody(model)
    texts, predicted, aligned, given, frame_ratios = [], [], [], [], []
    with torch.inference_mode():
        for text, ids, mel, durations, recorded in recorded_sentences(model, frontend, args.recordings, rows):
            passes = [(None, None, predicted), (durations, None, aligned)] + ([(durations, recorded, given)] if recorded is not None else [])
            for timing, melody, out in passes:
                engine.given = melody
                spoken, frames = engine.synthesize([ids.tolist()], steps=settings.steps, temperature=settings.temperature, seed=settings.seed, durations=timing)
                out.append(vocoder.decode(torch.from_numpy(sharpen_mel(spoken[0][:, : frames[0]], settings.sharpen))[None].float())[0].numpy())
                if timing is None:
                    frame_ratios.append(frames[0] / mel.shape[-1])
            texts.append(text)

    silence = np.zeros(int(PAD_SECONDS * rate), dtype=np.float32)
    padded = [np.concatenate([silence, audio, silence]) for audio in predicted]
    transcriber = WhisperTranscriber(args.asr_model, threads=args.threads)
    print(f"{len(texts)} sentences from {args.sentences}; {voice}")
    print("| durations | WER % | CER % | DNSMOS OVRL | P.808 |\n| --- | ---: | ---: | ---: | ---: |")
    spoken_sets = [("predicted", predicted), ("the recordings'", aligned), ("the recordings', and their prosody", given), (f"predicted, {PAD_SECONDS} s silence each side", padded)]
    for label, audios in spoken_sets:
        if not audios:
            continue
        s = score(audios, rate, texts, transcriber, dnsmos)
        print(f"| {label} | {s['wer']:.2f} | {s['cer']:.2f} | {s['dnsmos_ovrl']:.3f} | {s['dnsmos_p808']:.3f} |", flush=True)
    print(f"predicted frames / recorded frames (recordings untrimmed): median {np.median(frame_ratios):.3f}")


if __name__ == "__main__":
    main()
