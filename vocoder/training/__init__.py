"""Training our own Vocos-style vocoders with Lightning 2 (`tts train-vocoder CONFIG`).

Imported only by the trainer and the CLI: inference (`vocoder.VocosVocoder.load`) never needs it.
"""
