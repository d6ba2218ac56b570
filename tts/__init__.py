"""Flow-map text-to-speech: text -> phonemes -> log-mel in one or two network evaluations -> waveform.

Subpackages: `tts.audio` (Vocos-compatible mel features and audio I/O), `tts.flow` (the model-agnostic
flow-map core: SplitMeanFlow training objectives and samplers). Nothing heavy is imported here.
"""

__version__ = "0.1.0"
