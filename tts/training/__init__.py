"""Training the acoustic model (`tts train CONFIG`, `tts export`) with Lightning 2: `config` (the
training YAML's dataclasses), `data` (feature cache or packs -> length-bucketed batches), `module`
(`AcousticLightning`), `losses` (its training terms), `mel_critic` (adversarial post-training), `run`
(train, pack features, export) and `acoustic_mels` (an exported model's mels for vocoder fine-tuning).

The run plumbing it shares with the vocoder trainer is the top-level `training` package.
"""
