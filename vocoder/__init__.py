"""Vocoders: log-mel (B, n_mels, T) -> waveform (B, T * hop_length).

Backends (pretrained Vocos, this project's trained Vocos-style vocoders, Griffin-Lim) and chunked
streaming decoding live here. The mel features they consume are defined in `tts.audio.MelConfig`.
"""
