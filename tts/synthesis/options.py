"""`SynthesisOptions`: per-call settings and their ranges, and the defaults a voice may set."""

from __future__ import annotations

import copy
import dataclasses
import math
import numbers
from dataclasses import dataclass

from tts.audio.resampling import check_rate
from tts.flow.samplers import SAMPLERS

MAX_STEPS = 32
"""Most network evaluations one call may ask for (32 Euler steps is the flow-matching reference)."""
SPEED_RANGE = (0.25, 4.0)
"""Speaking-rate factors accepted (OpenAI's range): beyond it speech is unintelligible or minutes long."""
MAX_TEMPERATURE = 2.0
MAX_SHARPEN = 4.0
PITCH_RANGE_ST = (-12.0, 12.0)
"""Pitch shifts accepted, in semitones (an octave each way)."""
MAX_PITCH_RANGE = 3.0
VOLUME_RANGE_DB = (-40.0, 12.0)
"""Gains accepted, in dB: loud enough to clip a full-scale voice, quiet to near silence."""


@dataclass(frozen=True)
class SynthesisOptions:
    """Per-call settings, checked when made: every entry point (API, CLI, server) goes through here,
    so the same ranges hold everywhere. A voice may set its own defaults for some (`VOICE_DEFAULTS`)."""

    steps: int = 1
    """Flow-map steps (1 or 2 are the product settings), or Euler steps with sampler='euler'; 1 to MAX_STEPS."""
    speed: float = 1.0
    """Speaking rate, in SPEED_RANGE; 2.0 speaks twice as fast."""
    temperature: float = 0.667
    """Noise scale, 0 to MAX_TEMPERATURE: lower is steadier, higher more varied (Matcha/Glow-TTS use 0.667)."""
    seed: int | None = 0
    """Noise seed (a whole number >= 0); the same seed gives the same audio. None draws fresh noise."""
    sharpen: float = 1.0
    """Spectral sharpening of the mel before the vocoder (`tts.engine.sharpening.sharpen_mel`), 0 to
    MAX_SHARPEN: 1 leaves it as generated, higher restores harmonic and formant detail."""
    speaker: int | str | None = None
    sampler: str = "flow_map"
    sample_rate: int | None = None
    """Output rate (tts.audio.resampling.SAMPLE_RATES); None: the voice's own (24 kHz)."""
    pitch: float = 0.0
    """Pitch shift in semitones, in PITCH_RANGE_ST (a voice with prosody conditioning)."""
    pitch_range: float = 1.0
    """The pitch's variation scaled, 0 to MAX_PITCH_RANGE: 0 is monotone, 1 the voice's, more is livelier
    (a voice with prosody conditioning)."""
    volume: float = 0.0
    """Gain in dB, in VOLUME_RANGE_DB."""

    def __post_init__(self) -> None:
        _check_whole("steps", self.steps, 1, MAX_STEPS)
        _check_real("speed", self.speed, *SPEED_RANGE)
        _check_real("temperature", self.temperature, 0.0, MAX_TEMPERATURE)
        _check_real("sharpen", self.sharpen, 0.0, MAX_SHARPEN)
        _check_real("pitch", self.pitch, *PITCH_RANGE_ST)
        _check_real("pitch_range", self.pitch_range, 0.0, MAX_PITCH_RANGE)
        _check_real("volume", self.volume, *VOLUME_RANGE_DB)
        if self.seed is not None:
            _check_whole("seed", self.seed, 0, 2**63 - 1)
        if self.speaker is not None and not isinstance(self.speaker, str):
            _check_whole("speaker", self.speaker, 0, 2**31 - 1)
        if self.sampler not in SAMPLERS:
            raise ValueError(f"sampler must be one of {list(SAMPLERS)}, got {self.sampler!r}")
        if self.sample_rate is not None:
            check_rate(self.sample_rate)


def _check_whole(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")


def _check_real(name: str, value, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not (math.isfinite(value) and low <= value <= high):  # NaN fails every comparison
        raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value}")


VOICE_DEFAULTS = ("steps", "speed", "temperature", "sharpen")
"""Options an acoustic export may default in its config.json, as {"synthesis": {"temperature": 0.0}}:
the values measured best for that voice (`tts eval --temperature`, `--sharpen`); a call's own options override them."""


def voice_defaults(settings: dict) -> SynthesisOptions:
    """The options a voice's config.json "synthesis" entry asks for, on top of SynthesisOptions' own."""
    if not isinstance(settings, dict):
        raise ValueError(f'the voice\'s "synthesis" entry must be an object, got {settings!r}')
    unknown = sorted(set(settings) - set(VOICE_DEFAULTS))
    if unknown:
        raise ValueError(f'unknown "synthesis" defaults {unknown} in the voice\'s config; a voice may set {list(VOICE_DEFAULTS)}')
    for name, value in settings.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f'"synthesis" default {name} must be a number, got {value!r}')
    steps = settings.get("steps", 1)
    if isinstance(steps, float) and steps.is_integer():
        settings = {**settings, "steps": int(steps)}
    try:
        return dataclasses.replace(SynthesisOptions(), **{k: v if k == "steps" else float(v) for k, v in settings.items()})
    except ValueError as error:
        raise ValueError(f'"synthesis" default out of range in the voice\'s config: {error}') from None


def for_part(opts: SynthesisOptions, part, steerable: bool = True) -> SynthesisOptions:
    """`opts` for one sentence of an utterance: its SSML `<prosody>` rate, pitch, range and volume on
    top of the call's, each kept in its range; a copy that is not checked again. A voice that is not
    `steerable` (no prosody conditioning) keeps the call's pitch and range: SSML asks, it cannot."""
    same = copy.copy(opts)
    object.__setattr__(same, "speed", part_speed(opts, part.rate))
    if steerable:
        object.__setattr__(same, "pitch", min(PITCH_RANGE_ST[1], max(PITCH_RANGE_ST[0], opts.pitch + part.pitch)))
        object.__setattr__(same, "pitch_range", min(MAX_PITCH_RANGE, max(0.0, opts.pitch_range * part.pitch_range)))
    object.__setattr__(same, "volume", min(VOLUME_RANGE_DB[1], max(VOLUME_RANGE_DB[0], opts.volume + part.volume)))
    return same


def part_speed(opts: SynthesisOptions, rate: float) -> float:
    """The speed of an SSML part: the call's speed times its `<prosody rate>`, kept in SPEED_RANGE."""
    return min(SPEED_RANGE[1], max(SPEED_RANGE[0], opts.speed * rate))


def check_chunk_frames(chunk_frames: int) -> None:
    if isinstance(chunk_frames, bool) or not isinstance(chunk_frames, int) or chunk_frames < 1:
        raise ValueError(f"chunk_frames must be a whole number >= 1, got {chunk_frames!r}")
