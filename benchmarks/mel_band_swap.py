"""Which mel bands carry the intelligibility a voice loses against its speaker's recordings?

Each held-out sentence is spoken with the recording's own durations and prosody (as
`benchmarks/timing_split.py` gives them), so the voice's mel and the recording's line up frame for
frame. Then one range of mel bands at a time is taken from the recording instead of the voice, and
every version goes through the voice's vocoder and is scored (WER, CER, DNSMOS). The bands whose
recorded copy brings WER down the most are where the decoder renders the phonemes least like the
speaker. `--envelope` also splits the lowest range into its spectral envelope (a moving average
over 7 mel bands: formants) and the detail around it (a high voice's resolved harmonics), and swaps
each alone. Needs the eval and train extras.

    python benchmarks/mel_band_swap.py --voice runs/own-voice --recordings data/standin-jf_nezumi/test/wavs \
        --sentences data/standin-jf_nezumi/test/metadata.csv --count 100 --asr-model data/whisper-base
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from timing_split import _GivenProsody, add_recording_arguments, recorded_sentences

from tts.engine.sharpening import band_average, sharpen_mel
from tts.evaluation.run import read_sentences, score
from tts.evaluation.scorers import WhisperTranscriber, dnsmos
from tts.model.acoustic import AcousticModel
from tts.model.voice_config import VoiceConfig
from tts.synthesis.options import voice_defaults
from tts.synthesis.planning import model_frontend
from vocoder.loading import load_vocoder

ENVELOPE_BANDS = 7
"""Moving-average width for `--envelope`: wider than a 235 Hz voice's harmonic spacing up to about 1.5 kHz."""


def band_ranges(text: str, n_mels: int) -> list[tuple[int, int]]:
    """'0:40,40:60,60:100' -> [(0, 40), (40, 60), (60, 100)], each within [0, n_mels)."""
    ranges = []
    for part in text.split(","):
        low, high = (int(x) for x in part.split(":"))
        if not 0 <= low < high <= n_mels:
            raise ValueError(f"band range {part!r} is not within 0:{n_mels}")
        ranges.append((low, high))
    return ranges


def swapped(voice: np.ndarray, recording: np.ndarray, bands: tuple[int, int], part: str = "all") -> np.ndarray:
    """The voice's log-mel (n_mels, T) with bands [low, high) from the recording's: all of them, or only
    its envelope ("envelope") or only the detail around the envelope ("detail")."""
    low, high = bands
    out = voice.copy()
    if part == "all":
        out[low:high] = recording[low:high]
        return out
    voice_envelope, recording_envelope = band_average(voice, ENVELOPE_BANDS), band_average(recording, ENVELOPE_BANDS)
    mixed = voice - voice_envelope + recording_envelope if part == "envelope" else voice_envelope + recording - recording_envelope
    out[low:high] = mixed[low:high]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_recording_arguments(parser)
    parser.add_argument("--bands", default="0:40,40:60,60:100", help="mel band ranges to swap, one at a time (default 0:40,40:60,60:100)")
    parser.add_argument("--envelope", action="store_true", help="also swap the first range's envelope and detail apart")
    parser.add_argument("--sharpen", type=float, help="spectral sharpening of the voice's mel (default: the voice's)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    voice = Path(args.voice)
    model = AcousticModel.load(voice / "acoustic", device="cpu").eval()
    defaults = voice_defaults(model.extra.get("synthesis", {}))
    sharpen = defaults.sharpen if args.sharpen is None else args.sharpen
    ranges = band_ranges(args.bands, model.config.mel.n_mels)
    variants = [("the voice", None, "all"), ("the recording", (0, model.config.mel.n_mels), "all")]
    variants += [(f"bands {low}-{high - 1} recorded", (low, high), "all") for low, high in ranges]
    if args.envelope:
        variants += [(f"bands {ranges[0][0]}-{ranges[0][1] - 1}: {part} recorded", ranges[0], part) for part in ("envelope", "detail")]
    frontend = model_frontend(VoiceConfig.of_model(model).frontend)
    vocoder = load_vocoder(voice / "vocoder").eval()
    rate = model.config.mel.sample_rate

    engine = _GivenProsody(model)
    audio = {label: [] for label, _, _ in variants}
    texts = []
    with torch.inference_mode():
        for text, ids, mel, durations, engine.given in recorded_sentences(model, frontend, args.recordings, read_sentences(args.sentences, args.count)):
            spoken, frames = engine.synthesize([ids.tolist()], steps=defaults.steps, temperature=defaults.temperature, seed=0, durations=durations)
            mine = sharpen_mel(spoken[0][:, : frames[0]], sharpen)
            for label, bands, part in variants:
                out = mine if bands is None else swapped(mine, mel.numpy(), bands, part)
                audio[label].append(vocoder.decode(torch.from_numpy(out)[None].float())[0].numpy())
            texts.append(text)

    transcriber = WhisperTranscriber(args.asr_model, threads=args.threads)
    print(f"{len(texts)} sentences from {args.sentences}; {voice}, sharpen {sharpen}; the recordings' durations and prosody")
    print("| mel | WER % | CER % | DNSMOS OVRL | P.808 |\n| --- | ---: | ---: | ---: | ---: |")
    for label, audios in audio.items():
        s = score(audios, rate, texts, transcriber, dnsmos)
        print(f"| {label} | {s['wer']:.2f} | {s['cer']:.2f} | {s['dnsmos_ovrl']:.3f} | {s['dnsmos_p808']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
