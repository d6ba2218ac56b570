"""OpenAI's `instructions` field read as a small, documented vocabulary of delivery words.

Each known word moves the steering options (speed, pitch, pitch_range, volume); several words combine
(speeds and ranges multiply, pitch and volume add). Every other word changes nothing: this is a word
list, not a style model. A voice without prosody conditioning takes only speed and volume from it.
"""

from __future__ import annotations

import re

from tts.synthesis.options import MAX_PITCH_RANGE, PITCH_RANGE_ST, SPEED_RANGE, VOLUME_RANGE_DB

WORDS: dict[str, dict[str, float]] = {
    "calm": {"speed": 0.92, "pitch_range": 0.7, "volume": -2.0},
    "calmly": {"speed": 0.92, "pitch_range": 0.7, "volume": -2.0},
    "relaxed": {"speed": 0.92, "pitch_range": 0.8},
    "cheerful": {"speed": 1.05, "pitch": 1.5, "pitch_range": 1.3},
    "happy": {"speed": 1.05, "pitch": 1.5, "pitch_range": 1.3},
    "excited": {"speed": 1.12, "pitch": 2.5, "pitch_range": 1.6, "volume": 2.0},
    "enthusiastic": {"speed": 1.1, "pitch": 2.0, "pitch_range": 1.5, "volume": 1.0},
    "serious": {"speed": 0.95, "pitch": -1.0, "pitch_range": 0.8},
    "sad": {"speed": 0.88, "pitch": -1.5, "pitch_range": 0.6, "volume": -2.0},
    "slowly": {"speed": 0.8},
    "slow": {"speed": 0.8},
    "quickly": {"speed": 1.25},
    "fast": {"speed": 1.25},
    "quiet": {"volume": -8.0},
    "quietly": {"volume": -8.0},
    "softly": {"volume": -6.0},
    "whisper-quiet": {"volume": -14.0},
    "loud": {"volume": 4.0},
    "loudly": {"volume": 4.0},
    "monotone": {"pitch_range": 0.2},
    "flat": {"pitch_range": 0.3},
    "lively": {"pitch_range": 1.5},
    "expressive": {"pitch_range": 1.5},
    "higher": {"pitch": 3.0},
    "lower": {"pitch": -3.0},
    "deeper": {"pitch": -3.0},
}
"""Delivery words and what each does (the README lists them)."""
PROSODY_ONLY = ("pitch", "pitch_range")


def instruction_options(instructions: str, steerable: bool) -> dict[str, float]:
    """The options the known words of `instructions` ask for, in range; {} when none is known.
    `steerable`: the voice has prosody conditioning (else pitch and pitch_range are left out)."""
    if not isinstance(instructions, str):
        raise TypeError(f"instructions must be a string, got {type(instructions).__name__}")
    options: dict[str, float] = {}
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*", instructions.lower()):
        for name, value in WORDS.get(word, {}).items():
            if name in ("speed", "pitch_range"):
                options[name] = options.get(name, 1.0) * value
            else:
                options[name] = options.get(name, 0.0) + value
    if not steerable:
        options = {name: value for name, value in options.items() if name not in PROSODY_ONLY}
    limits = {"speed": SPEED_RANGE, "pitch": PITCH_RANGE_ST, "pitch_range": (0.0, MAX_PITCH_RANGE), "volume": VOLUME_RANGE_DB}
    return {name: min(limits[name][1], max(limits[name][0], value)) for name, value in options.items()}


def requested_options(fields: dict, names: tuple[str, ...], steerable: bool) -> dict:
    """A request's options (HTTP body or WebSocket config): the known words of its `instructions`
    first, then its own `names` fields on top. A field sent as null is not sent (the voice's default
    stands), except `seed`, where null asks for fresh noise."""
    instructions = fields.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        raise TypeError("'instructions' must be a string")
    options = instruction_options(instructions, steerable) if instructions else {}
    options.update({name: fields[name] for name in names if name in fields and (fields[name] is not None or name == "seed")})
    return options
