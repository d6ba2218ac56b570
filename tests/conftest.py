"""Shared fixtures: a tiny random-weight voice bundle (no training, no downloads)."""

import pytest
import torch


@pytest.fixture(scope="session")
def tiny_voice_dir(tmp_path_factory):
    """A voice bundle (acoustic/ + vocoder/) with random weights and the real frontend's symbols."""
    from text import TextFrontend
    from tts.model import AcousticConfig, AcousticModel
    from tts.model.config import DecoderConfig, DurationConfig, EncoderConfig
    from vocoder import VocosConfig, VocosVocoder

    frontend = TextFrontend()
    torch.manual_seed(0)
    config = AcousticConfig(
        n_vocab=len(frontend.symbols),
        encoder=EncoderConfig(channels=32, filter_channels=64, layers=1, prenet_layers=1),
        duration=DurationConfig(filter_channels=32),
        decoder=DecoderConfig(dim=32, intermediate_dim=64, layers=2),
    )
    acoustic = AcousticModel(config)
    with torch.no_grad():  # about 4.5 frames per phoneme, so utterances have speech-like lengths
        acoustic.duration_predictor.out.bias.fill_(1.5)
    acoustic.extra = {"frontend": frontend.config(), "speakers": []}
    root = tmp_path_factory.mktemp("voice")
    acoustic.save(root / "acoustic")
    VocosVocoder(VocosConfig(dim=32, intermediate_dim=64, num_layers=2)).save(root / "vocoder")
    return root


@pytest.fixture(scope="session")
def tiny_voice(tiny_voice_dir):
    import tts

    return tts.load(tiny_voice_dir, device="cpu")



def pytest_configure(config):
    """Optimized ONNX graphs go to a cache of this run's own, not the user's (model_files.graph_cache);
    subprocesses the tests start inherit it. It is removed at the end."""
    import os
    import tempfile

    if "FLOWMAP_TTS_CACHE" not in os.environ:
        config._graph_cache = os.environ["FLOWMAP_TTS_CACHE"] = tempfile.mkdtemp(prefix="flowmap-tts-graphs-")


def pytest_unconfigure(config):
    import shutil

    if getattr(config, "_graph_cache", None):
        shutil.rmtree(config._graph_cache, ignore_errors=True)
