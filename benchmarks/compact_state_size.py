"""The size of a run's compact resumable state (`tts state save`) for the recipes' real networks.

    python benchmarks/compact_state_size.py

Builds each config's training module without training it, gives every trained parameter Adam moments
(random: the size does not depend on them), writes the checkpoint Lightning would and its compact state,
and prints both sizes beside the estimate (weights x 2 bytes + trained parameters x 4 bytes).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import torch


def _moments(module: torch.nn.Module) -> dict:
    parameters = list(module.parameters())
    state = {i: {"step": torch.tensor(1.0), "exp_avg": torch.randn_like(p) * 1e-3, "exp_avg_sq": torch.rand_like(p) * 1e-8} for i, p in enumerate(parameters)}
    return {"state": state, "param_groups": [{"lr": 1e-4, "params": list(range(len(parameters)))}]}


def report(name: str, module, checkpoint: dict, trained: int) -> None:
    from training.compact_state import save_compact_state

    weights = sum(v.numel() for v in module.state_dict().values() if v.is_floating_point())
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "last.ckpt"
        torch.save({"state_dict": module.state_dict(), "hyper_parameters": dict(module.hparams), "global_step": 1, **checkpoint}, path)
        size = save_compact_state(path, Path(directory) / "state")
        print(
            f"{name}: {trained / 1e6:.2f}M trained parameters, {weights / 1e6:.2f}M stored weights; estimate "
            f"{(2 * weights + 4 * trained) / 1e6:.1f} MB, compact state {size / 1e6:.1f} MB, checkpoint {path.stat().st_size / 1e6:.1f} MB"
        )


def main() -> None:
    from model_files.typed_config import to_dict
    from text import TextFrontend
    from tts.training.module import AcousticLightning
    from tts.training.run import load_acoustic_config
    from vocoder.training.module import VocoderGAN
    from vocoder.training.run import load_vocoder_config

    def count(module):
        return sum(p.numel() for p in module.parameters())

    vocoder = VocoderGAN(to_dict(load_vocoder_config("recipes/default-voice/experiments/vocoder-gan-sharpened.yaml")))
    checkpoint = {"optimizer_states": [_moments(vocoder.generator), _moments(vocoder.discriminators)]}
    report("vocoder-gan-sharpened.yaml (generator + discriminators)", vocoder, checkpoint, count(vocoder.generator) + count(vocoder.discriminators))

    config = load_acoustic_config("recipes/default-voice/adversarial.yaml")
    config = replace(config, model=replace(config.model, n_vocab=len(TextFrontend().symbols)))
    acoustic = AcousticLightning(to_dict(config), {})
    checkpoint = {"optimizer_states": [_moments(acoustic.model)], "critic_optimizer": _moments(acoustic.critic)}
    report("adversarial.yaml (model + EMA + critic)", acoustic, checkpoint, count(acoustic.model) + count(acoustic.critic))


if __name__ == "__main__":
    main()
