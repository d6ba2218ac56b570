"""One entry point for choosing a vocoder by name or path, used by the API and the CLI."""

from __future__ import annotations

from pathlib import Path


def load_vocoder(spec: str | Path, device: str = "cpu"):
    """'griffin-lim', 'vocos-pretrained' (hub/cache), or a directory: exported (config.json) or pretrained (config.yaml)."""
    if spec == "griffin-lim":
        from vocoder.griffin_lim import GriffinLimVocoder

        return GriffinLimVocoder().to(device)
    if spec == "vocos-pretrained":
        from vocoder.pretrained import PretrainedVocos

        return PretrainedVocos.load().to(device)
    directory = Path(spec)
    if (directory / "config.json").is_file():
        from vocoder.vocos_model import VocosVocoder

        return VocosVocoder.load(directory, device)
    if (directory / "config.yaml").is_file():
        from vocoder.pretrained import PretrainedVocos

        return PretrainedVocos.load(directory).to(device)
    raise ValueError(
        f"unknown vocoder {str(spec)!r}: expected 'griffin-lim', 'vocos-pretrained', or a directory holding an "
        "exported vocoder (config.json + model.safetensors) or the vocos-mel-24khz files (config.yaml + pytorch_model.bin)"
    )
