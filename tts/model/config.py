"""The acoustic model's architecture config, saved in every exported voice's config.json."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from vocoder.mel_config import MelConfig


def _check_sizes(config, *names: str) -> None:
    """Positive whole sizes, and a dropout (if any) in [0, 1): a voice file cannot ask for less."""
    for name in names:
        if getattr(config, name) < 1:
            raise ValueError(f"{type(config).__name__}.{name} must be >= 1, got {getattr(config, name)}")
    dropout = getattr(config, "dropout", 0.0)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"{type(config).__name__}.dropout must be in [0, 1), got {dropout}")


@dataclass(frozen=True)
class EncoderConfig:
    channels: int = 192
    """Width of the phoneme embeddings and the transformer."""
    filter_channels: int = 768
    """Hidden width of each transformer feed-forward block."""
    heads: int = 2
    layers: int = 4
    kernel_size: int = 3
    """Kernel of the feed-forward convolutions (and the prenet)."""
    prenet_layers: int = 3
    dropout: float = 0.1

    def __post_init__(self) -> None:
        _check_sizes(self, "channels", "filter_channels", "heads", "layers", "kernel_size")
        if self.prenet_layers < 0:
            raise ValueError(f"EncoderConfig.prenet_layers must be >= 0, got {self.prenet_layers}")


@dataclass(frozen=True)
class DurationConfig:
    filter_channels: int = 256
    kernel_size: int = 3
    dropout: float = 0.1

    def __post_init__(self) -> None:
        _check_sizes(self, "filter_channels", "kernel_size")


@dataclass(frozen=True)
class DecoderConfig:
    dim: int = 256
    """Channels of the ConvNeXt stack."""
    intermediate_dim: int = 768
    layers: int = 6
    kernel_size: int = 7

    def __post_init__(self) -> None:
        _check_sizes(self, "dim", "intermediate_dim", "layers", "kernel_size")

    @property
    def context_frames(self) -> int:
        """Frames each side that one output frame depends on, per network evaluation: only the
        depthwise convolutions mix frames; everything else acts per frame."""
        return self.layers * (self.kernel_size // 2)


STEERING_GAINS = ("pitch_gain", "pitch_gain_down", "range_gain", "range_gain_narrow")
"""ProsodyConfig's calibration, one gain for each side of neutral."""


@dataclass(frozen=True)
class ProsodyConfig:
    """Pitch, voicing and loudness per phoneme (tts.model.prosody), predicted from the text as durations
    are, and given to the flow-map decoder: what the steering controls (pitch, range, emphasis) act on."""

    enabled: bool = False
    harmonics: bool = False
    """The decoder also sees where the given pitch puts its harmonics among the mel bands
    (tts.model.harmonics), which it follows far sooner than the pitch number alone."""
    filter_channels: int = 256
    kernel_size: int = 3
    dropout: float = 0.1
    pitch_gain: float = 1.0
    """Steering calibration: the decoder is given pitch_gain semitones per semitone asked upward (pitch
    and emphasis), the inverse of how far it follows its input, as measured on training sentences
    (`benchmarks/steering.py --calibrate`). 1: as given."""
    pitch_gain_down: float | None = None
    """The same for downward shifts (a decoder follows one way further than the other); None: pitch_gain."""
    range_gain: float = 1.0
    """A wider pitch range asked is given as 1 + range_gain * (asked - 1);"""
    range_gain_narrow: float | None = None
    """a narrower one with this gain instead (None: range_gain), at least 0."""

    def __post_init__(self) -> None:
        _check_sizes(self, "filter_channels", "kernel_size")
        for name in STEERING_GAINS:
            value = getattr(self, name)
            if value is None and name.endswith(("_down", "_narrow")):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.5 <= value <= 4.0:
                raise ValueError(f"prosody.{name} must be a number from 0.5 to 4, got {value!r}")

    @property
    def side_gains(self) -> dict[str, float]:
        """The four gains in effect, by STEERING_GAINS name: a side left at None takes the other's."""
        return {
            "pitch_gain": self.pitch_gain,
            "pitch_gain_down": self.pitch_gain if self.pitch_gain_down is None else self.pitch_gain_down,
            "range_gain": self.range_gain,
            "range_gain_narrow": self.range_gain if self.range_gain_narrow is None else self.range_gain_narrow,
        }

    def pitch_input(self, semitones: float) -> float:
        """The pitch shift (semitones) to give the decoder for `semitones` asked."""
        return self.side_gains["pitch_gain" if semitones >= 0 else "pitch_gain_down"] * semitones

    def range_input(self, pitch_range: float) -> float:
        """The range (1: the voice's own) to give the decoder for `pitch_range` asked."""
        gain = self.side_gains["range_gain" if pitch_range >= 1 else "range_gain_narrow"]
        return max(0.0, 1.0 + gain * (pitch_range - 1.0))


@dataclass(frozen=True)
class AcousticConfig:
    n_vocab: int = 0
    """Number of phoneme symbols; filled in from the frontend's symbol table at training time."""
    n_speakers: int = 1
    """More than 1 adds a speaker embedding to the encoder and decoder."""
    speaker_dim: int = 64
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    duration: DurationConfig = field(default_factory=DurationConfig)
    decoder: DecoderConfig = field(default_factory=DecoderConfig)
    prosody: ProsodyConfig = field(default_factory=ProsodyConfig)
    mel: MelConfig = field(default_factory=MelConfig)
    mel_mean: float = -5.0
    """Dataset log-mel mean and std (from the feature cache): the flow works on (mel - mean) / std."""
    mel_std: float = 2.5
    segment_frames: int = 192
    """The decoder trains on random crops of this many frames (all of a shorter utterance)."""

    def __post_init__(self) -> None:
        if self.encoder.channels % self.encoder.heads or (self.encoder.channels // self.encoder.heads) % 2:
            raise ValueError("encoder.channels must split into heads of even width (rotary positions)")
        if not (math.isfinite(self.mel_mean) and math.isfinite(self.mel_std)):
            raise ValueError(f"invalid AcousticConfig: mel_mean={self.mel_mean} and mel_std={self.mel_std} must be finite")
        if self.n_speakers < 1 or self.speaker_dim < 1 or self.mel_std <= 0 or self.segment_frames < 1:
            raise ValueError(
                f"invalid AcousticConfig: n_speakers={self.n_speakers}, speaker_dim={self.speaker_dim}, "
                f"mel_std={self.mel_std}, segment_frames={self.segment_frames}"
            )
