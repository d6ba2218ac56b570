"""The default voice's audio, sample for sample, on both engines: a change of structure must not change
one 16-bit sample or one word time. The fingerprints in `golden_audio.json` were written by the code
before the restructuring; `python tests/test_golden_audio.py` writes them again, only when a change
of sound is intended (and the model card's measurements are then taken again).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

import tts

GOLDEN = Path(__file__).with_name("golden_audio.json")
ENGINES = ("onnx", "torch")
TEXT = "Hello there. How are you today?"
SSML = '<speak>Your table is booked.<break time="300ms"/><prosody rate="120%">See you at seven.</prosody></speak>'
PIECES = ["Sure, the ", "table is ", "booked. Any", "thing else?"]

CASES = {
    "defaults": lambda v: v.synthesize(TEXT),
    "two steps, noise, seed 7": lambda v: v.synthesize(TEXT, steps=2, temperature=0.667, seed=7),
    "euler, four steps": lambda v: v.synthesize(TEXT, sampler="euler", steps=4, temperature=0.5, seed=1),
    "speed, sharpen off": lambda v: v.synthesize(TEXT, speed=1.3, sharpen=1.0),
    "16 kHz": lambda v: v.synthesize(TEXT, sample_rate=16000),
    "ssml": lambda v: v.synthesize(SSML),
    "batch": lambda v: v.synthesize_batch([TEXT, SSML], batch_size=2)[1],
    "stream whole text": lambda v: list(v.stream(TEXT, chunk_frames=8, steps=2)),
    "stream pieces": lambda v: list(v.stream(PIECES, temperature=0.3, seed=2)),
    "stream pieces, 8 kHz": lambda v: list(v.stream(PIECES, sample_rate=8000)),
    "pitch, range, emphasis": lambda v: v.synthesize('<speak>Your table is <emphasis level="strong">booked</emphasis>.</speak>', pitch=2.0, pitch_range=1.5),
}


def fingerprint(result) -> dict:
    """An Audio or a list of AudioChunks -> the sha256 of its 16-bit samples and word times, and sizes."""
    chunks = result if isinstance(result, list) else [result]
    digest = hashlib.sha256()
    samples = 0
    for chunk in chunks:
        digest.update(chunk.pcm16())
        samples += len(chunk.samples)
        for word in chunk.words:
            digest.update(f"{word.text}|{word.start:.6f}|{word.end:.6f};".encode())
    return {"samples": samples, "chunks": len(chunks), "sha256": digest.hexdigest()}


def _voice(engine: str):
    return tts.load(device="cpu", backend=engine, int8=False)  # the float32 graphs: torch has no int8


@pytest.fixture(scope="module", params=ENGINES)
def engine_and_voice(request):
    return request.param, _voice(request.param)


def test_the_default_voice_sounds_as_it_did(engine_and_voice):
    engine, voice = engine_and_voice
    golden = json.loads(GOLDEN.read_text())[engine]
    assert set(golden) == set(CASES)
    for name, case in CASES.items():
        assert fingerprint(case(voice)) == golden[name], f"{engine}: {name}"


if __name__ == "__main__":
    table = {engine: {name: fingerprint(case(voice)) for name, case in CASES.items()} for engine in ENGINES for voice in [_voice(engine)]}
    GOLDEN.write_text(json.dumps(table, indent=1) + "\n")
    print(f"wrote {GOLDEN}", file=sys.stderr)
