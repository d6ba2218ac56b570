import pytest
import torch

from tts.audio import LogMelSpectrogram, MelConfig


@pytest.mark.parametrize("num_samples", [513, 1024, 24000, 24000 * 3 + 17])
def test_log_mel_matches_vocos_feature_extractor(num_samples):
    from vocos.feature_extractors import MelSpectrogramFeatures

    torch.manual_seed(num_samples)
    audio = torch.randn(2, num_samples) * 0.3
    ours = LogMelSpectrogram()(audio)
    theirs = MelSpectrogramFeatures()(audio)
    assert ours.shape == theirs.shape == (2, 100, MelConfig().num_frames(num_samples))
    assert (ours - theirs).abs().max().item() < 1e-5


def test_silence_hits_the_log_floor():
    mel = LogMelSpectrogram()(torch.zeros(4800))
    assert torch.allclose(mel, torch.full_like(mel, torch.log(torch.tensor(1e-7)).item()))


def test_unbatched_input_gives_unbatched_output():
    audio = torch.randn(24000)
    extractor = LogMelSpectrogram()
    assert torch.equal(extractor(audio), extractor(audio[None])[0])


def test_too_short_audio_raises_a_clear_error():
    with pytest.raises(ValueError, match="too short"):
        LogMelSpectrogram()(torch.randn(100))


def test_mel_config_roundtrip_and_validation():
    config = MelConfig()
    assert MelConfig.from_dict(config.to_dict()) == config
    assert config.frame_rate == pytest.approx(93.75)
    with pytest.raises(ValueError, match="unknown"):
        MelConfig.from_dict({**config.to_dict(), "win": 3})
    with pytest.raises(ValueError):
        MelConfig(hop_length=0)
