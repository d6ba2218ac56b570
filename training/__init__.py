"""The run plumbing both trainers share (`tts train` for the acoustic model, `tts train-vocoder`);
imports neither `tts` nor `vocoder`.

- `config`: `TrainerConfig`, the `trainer:` section of every training config;
- `runs`: reading a training config, guarding the run folder, the Lightning Trainer, fitting;
- `checkpoints`: atomic, resumable checkpoints and reading them back (weights_only);
- `batches`, `exact_resume`: batch orders rebuilt from (seed, epoch) and per-batch seeding, so a
  resumed run trains on what the unbroken run would have;
- `compact_state`: a checkpoint small enough to commit, and the checkpoint rebuilt from it;
- `schedule`: the warm-up + cosine learning-rate schedule;
- `metadata`: dataset listings (LJSpeech-style metadata.csv, audio folders) and the seeded split.

Imported only by the trainers and the CLI's training commands: inference never needs it.
"""
