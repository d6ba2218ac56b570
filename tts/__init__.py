"""Flow-map text-to-speech: text -> phonemes -> log-mel in one or two network evaluations -> waveform.

    import tts
    voice = tts.load()                      # the embedded default voice, offline
    voice.synthesize("Hello there.").save("hello.wav")
    for chunk in voice.stream("A long text, spoken as it is generated."):
        play(chunk.samples)

Subpackages: `tts.audio` (mel features, audio I/O), `tts.flow` (the flow-map core), `tts.model` (the
acoustic model), `tts.training` (Lightning trainers). Nothing heavy is imported here: `tts.load`
imports torch on first use.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "list_voices", "load"]


def load(*args, **kwargs):
    """Load a voice as a `Synthesizer` (see `tts.voices.load`)."""
    from tts.voices import load as _load

    return _load(*args, **kwargs)


def list_voices() -> list[str]:
    """Names of the voices shipped inside the package."""
    from tts.voices import list_voices as _list

    return _list()
