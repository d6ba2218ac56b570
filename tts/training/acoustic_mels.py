"""An acoustic model's own mels, frame-aligned to the recordings, for fine-tuning a vocoder on them.

A vocoder trained on mels of real audio meets a different input at synthesis: the acoustic model's
output, smoother than a recording's mel and slightly off. Fine-tuning on that output, paired with
the recording it stands for, teaches the vocoder to render what it will actually be given (the
fine-tuning step of HiFi-GAN). The pairing needs the acoustic model to speak each utterance with
the recording's timing: the durations come from monotonic alignment search of its encoder against
the recording's mel, so generated frame f replaces recorded frame f.

Output, one file per utterance: `out_dir/<id>.npy`, log-mel float16 (n_mels, T) with
T = mel.num_frames(samples) of the recording, plus `out_dir/settings.json` saying what made them.
`VocoderDataConfig.mel_dir` points vocoder training at them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from training.metadata import SkipReport, file_stem, read_metadata
from tts.data.features import text_ids
from tts.engine.sharpening import sharpen_mel
from tts.engine.torch_engine import TorchAcoustic
from tts.training.losses import align
from vocoder.audio_io import AudioFileError, load_audio

SETTINGS = "settings.json"


@dataclass(frozen=True)
class MelSettings:
    """How the mels were made; a folder holds mels of one setting only."""

    acoustic: str
    steps: int
    temperature: float
    sampler: str
    seed: int
    sharpen: float
    """Spectral sharpening applied to each mel (`tts.engine.sharpening.sharpen_mel`), as synthesis applies it
    before the vocoder: a vocoder fine-tuned on these mels is then given at synthesis what it learned on."""


def write_acoustic_mels(
    acoustic_dir: str | Path,
    metadata: str | Path,
    out_dir: str | Path,
    steps: int | None = None,
    temperature: float | None = None,
    sampler: str = "flow_map",
    seed: int = 0,
    sharpen: float | None = None,
    audio_dir: str = "wavs",
    format: str = "ljspeech",
    progress: bool = True,
) -> tuple[int, SkipReport]:
    """Write the acoustic model's mel of every utterance in `metadata` (an LJSpeech-style csv).

    steps / temperature / sharpen default to the model's own synthesis defaults (its config's
    "synthesis"), so the mels are the ones its vocoder is given when the voice speaks.
    Resumable: utterances whose file exists are kept. Returns (mels written now, skipped rows).
    """
    from tqdm import tqdm

    from tts.model.acoustic import AcousticModel
    from tts.model.voice_config import VoiceConfig
    from tts.synthesis.options import voice_defaults
    from tts.synthesis.planning import model_frontend
    from vocoder.features import LogMelSpectrogram

    model = AcousticModel.load(acoustic_dir, device="cpu").eval()
    defaults = voice_defaults(model.extra.get("synthesis", {}))
    if sharpen is not None:  # checked like a synthesis option: a number in SynthesisOptions' range
        defaults = dataclasses.replace(defaults, sharpen=sharpen)
    settings = MelSettings(
        acoustic=str(Path(acoustic_dir).resolve()),
        steps=defaults.steps if steps is None else steps,
        temperature=defaults.temperature if temperature is None else temperature,
        sampler=sampler,
        seed=seed,
        sharpen=defaults.sharpen,
    )
    out_dir = Path(out_dir)
    _claim(out_dir, settings)
    metadata = Path(metadata)
    utterances, report = read_metadata(metadata.parent, metadata.name, audio_dir, format)
    frontend = model_frontend(VoiceConfig.of_model(model).frontend)
    features = LogMelSpectrogram(model.config.mel)
    speakers = list(model.extra.get("speakers", []))
    written = 0
    for utterance in tqdm(utterances, desc="acoustic mels", disable=not progress, unit="utt"):
        target = out_dir / f"{file_stem(utterance.id)}.npy"
        if target.is_file():
            continue
        try:
            samples, _ = load_audio(utterance.audio_path, model.config.mel.sample_rate)
            ids = torch.tensor(text_ids(frontend, utterance.text))
        except AudioFileError:
            report.skip("unreadable audio", utterance.id)
            continue
        except ValueError:
            report.skip("text has nothing to speak", utterance.id)
            continue
        if len(speakers) > 1 and utterance.speaker not in speakers:
            report.skip("speaker unknown to the acoustic model", utterance.id)
            continue
        mel = features(torch.from_numpy(samples))
        if mel.shape[-1] < len(ids):
            report.skip("fewer mel frames than phonemes", utterance.id)
            continue
        speaker = torch.tensor([speakers.index(utterance.speaker)]) if len(speakers) > 1 else None
        generated = sharpen_mel(aligned_mel(model, ids, mel, settings, speaker).numpy(), settings.sharpen)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp.npy")
        np.save(temporary, generated.astype(np.float16))
        temporary.replace(target)  # a killed run never leaves a truncated mel behind
        written += 1
    return written, report


def aligned_mel(model, ids: torch.Tensor, mel: torch.Tensor, settings: MelSettings, speaker: torch.Tensor | None = None) -> torch.Tensor:
    """ids (N,), recorded log-mel (n_mels, T) -> the model's log-mel (n_mels, T) spoken with the
    recording's durations (monotonic alignment search of its encoder against `mel`)."""
    lengths = torch.tensor([len(ids)])
    frames = torch.tensor([mel.shape[-1]])
    durations = align(model, ids[None], lengths, mel[None], frames, speakers=speaker)
    generated, generated_frames = TorchAcoustic(model).synthesize(
        [ids.tolist()],
        steps=settings.steps,
        sampler=settings.sampler,
        temperature=settings.temperature,
        speaker=None if speaker is None else int(speaker[0]),
        seed=settings.seed,
        durations=durations.numpy(),
    )
    if generated_frames[0] != mel.shape[-1]:
        raise RuntimeError(f"aligned synthesis gave {generated_frames[0]} frames for a {mel.shape[-1]}-frame recording")
    return torch.from_numpy(generated[0])


def _claim(out_dir: Path, settings: MelSettings) -> None:
    """Record the settings in a new folder; refuse a folder whose mels were made differently."""
    path = out_dir / SETTINGS
    if path.is_file():
        saved = json.loads(path.read_text())
        if saved != asdict(settings):
            raise ValueError(f"{out_dir} holds mels made with other settings ({saved}); use a new folder")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(settings), indent=2) + "\n")
