"""Shared Lightning plumbing for the acoustic model and vocoder trainers: checkpoints, trainer setup."""
