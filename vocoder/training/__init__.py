"""Training our own Vocos-style vocoders with Lightning 2 (`tts train-vocoder CONFIG`): `config` (the
training YAML's dataclasses), `data` (audio crops), `module` (`VocoderGAN`), `discriminators`, `losses`
and `run` (train, export).

The run plumbing it shares with the acoustic trainer is the top-level `training` package. Imported only
by the trainer and the CLI: inference (`vocoder.VocosVocoder.load`) never needs it.
"""
