"""The installed environment: the packages the project stands on import and work together."""

import subprocess
import sys


def test_project_packages_import():
    import text
    import tts
    import vocoder

    assert tts.__version__
    assert text.TextFrontend and vocoder.__doc__


def test_torchaudio_and_vocos_import_beside_torch():
    import torch
    import torchaudio
    from vocos.feature_extractors import MelSpectrogramFeatures

    assert torch.__version__.split(".")[:2] == torchaudio.__version__.split(".")[:2]
    mel = MelSpectrogramFeatures()(torch.zeros(1, 24000))
    assert mel.shape == (1, 100, 94)


def test_importing_the_packages_loads_no_heavy_modules():
    code = "import tts, text, vocoder, sys; print(' '.join(m for m in ('torch', 'torchaudio', 'phonemizer', 'vocos') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "tts", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("tts ")
