"""The acoustic model and its engine: shapes, batch/single agreement, speed, export/load, and that it learns."""

import dataclasses

import numpy as np
import pytest
import torch

from tts.engine.torch_engine import TorchAcoustic
from tts.flow import FlowMapObjective, ObjectiveConfig
from tts.model import AcousticConfig, AcousticModel
from tts.model.config import DecoderConfig, DurationConfig, EncoderConfig
from tts.training.losses import loss_terms


def tiny_config(**overrides) -> AcousticConfig:
    return AcousticConfig(
        n_vocab=24,
        encoder=EncoderConfig(channels=32, filter_channels=64, heads=2, layers=1, prenet_layers=1, dropout=0.0),
        duration=DurationConfig(filter_channels=32, dropout=0.0),
        decoder=DecoderConfig(dim=32, intermediate_dim=64, layers=2),
        segment_frames=48,
        **overrides,
    )


def _model(**overrides) -> AcousticModel:
    torch.manual_seed(0)
    return AcousticModel(tiny_config(**overrides)).eval()


def test_synthesize_shapes_and_padding():
    engine = TorchAcoustic(_model())
    mel, lengths = engine.synthesize([[1, 5, 6, 7, 2], [1, 8, 9, 3, 4, 5, 2]], steps=1, seed=0)
    assert mel.shape == (2, 100, max(lengths)) and lengths[0] >= 5 and lengths[1] >= 7
    assert (mel[0, :, lengths[0] :] == 0).all()  # frames past an item's length are padding
    assert np.isfinite(mel).all()


@pytest.mark.parametrize("sampler,steps", [("flow_map", 1), ("flow_map", 2), ("euler", 4)])
def test_batch_and_single_synthesis_agree(sampler, steps):
    engine = TorchAcoustic(_model())
    a, b = [1, 5, 6, 7, 2], [1, 8, 9, 3, 4, 5, 6, 2]
    batch, lengths = engine.synthesize([a, b], steps=steps, seed=3, sampler=sampler)
    for i, single_ids in enumerate([a, b]):
        single, single_length = engine.synthesize([single_ids], steps=steps, seed=3, sampler=sampler)
        assert lengths[i] == single_length[0]
        assert np.allclose(batch[i, :, : lengths[i]], single[0], atol=1e-4)


@pytest.mark.parametrize("sampler,steps", [("flow_map", 1), ("flow_map", 2), ("euler", 3)])
def test_decoding_a_window_of_frames_equals_the_whole(sampler, steps):
    model = _model()
    with torch.no_grad():  # adaLN-zero starts every block as the identity: give the blocks work to do
        for parameter in model.decoder.parameters():
            parameter.add_(0.2 * torch.randn_like(parameter))
    engine = TorchAcoustic(model)
    inputs = engine.prepare([[1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 2]], durations=np.full((1, 11), 12), seed=0)
    whole = engine.generate(inputs, steps, sampler)
    assert whole.shape[-1] == 132 and engine.context_frames == 6  # 2 layers of kernel 7
    for start, end in [(0, 10), (40, 57), (120, 132), (0, 132)]:
        assert np.allclose(engine.generate(inputs, steps, sampler, start, end), whole[..., start:end], atol=1e-5)
    short = TorchAcoustic(model)
    short.config = dataclasses.replace(model.config, decoder=dataclasses.replace(model.config.decoder, kernel_size=5))
    assert short.context_frames == 4  # two frames too little context is no longer exact
    assert not np.allclose(short.generate(inputs, steps, sampler, 40, 57), whole[..., 40:57], atol=1e-5)
    with pytest.raises(ValueError, match="outside"):
        engine.generate(inputs, steps, sampler, 100, 140)


def test_same_seed_same_mel_and_speed_changes_length():
    model = _model()
    engine = TorchAcoustic(model)
    ids = [[1, 5, 6, 7, 8, 9, 10, 11, 2]]
    first, _ = engine.synthesize(ids, seed=7)
    assert np.array_equal(first, engine.synthesize(ids, seed=7)[0])
    assert engine.synthesize(ids, durations=np.full((1, 9), 6))[1] == [54]
    with torch.no_grad():  # make predicted durations 6 frames each, then speak twice as fast
        model.duration_predictor.out.bias.fill_(torch.log(torch.tensor(6.0)))
        model.duration_predictor.out.weight.zero_()
    assert engine.synthesize(ids)[1] == [54]
    assert engine.synthesize(ids, speed=2.0)[1] == [27]
    assert engine.synthesize(ids, speed=100.0)[1] == [9]  # never below one frame per phoneme
    with pytest.raises(ValueError, match="speed"):
        engine.synthesize(ids, speed=0)


def test_export_then_load_is_identical(tmp_path):
    model = _model()
    # The saved symbol table is the vocabulary: it must have the model's n_vocab symbols.
    symbols = [f"s{i}" for i in range(model.config.n_vocab)]
    model.extra = {"frontend": {"espeak_version": "1.52.0", "symbols": symbols}, "speakers": []}
    ids = [[1, 5, 6, 7, 2]]
    loaded = AcousticModel.load(model.save(tmp_path / "voice"))
    mel = TorchAcoustic(model).synthesize(ids, steps=2, seed=1)[0]
    assert np.array_equal(mel, TorchAcoustic(loaded).synthesize(ids, steps=2, seed=1)[0])
    assert loaded.extra["frontend"]["espeak_version"] == "1.52.0" and loaded.config == model.config
    half = AcousticModel.load(model.save(tmp_path / "half", dtype=torch.float16))
    assert (tmp_path / "half" / "model.safetensors").stat().st_size < 0.6 * (tmp_path / "voice" / "model.safetensors").stat().st_size
    assert np.abs(TorchAcoustic(half).synthesize(ids, seed=1)[0] - TorchAcoustic(model).synthesize(ids, seed=1)[0]).max() < 0.05
    model.extra["frontend"]["symbols"] = symbols[:-1]
    with pytest.raises(ValueError, match="does not match"):
        model.save(tmp_path / "mismatched")


def test_load_rejects_other_directories(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        AcousticModel.load(tmp_path)


def test_speakers():
    engine = TorchAcoustic(_model(n_speakers=3))
    ids, durations = [[1, 5, 6, 2]], np.full((1, 4), 3)
    first = engine.synthesize(ids, speaker=0, seed=0, durations=durations)[0]
    assert not np.allclose(first, engine.synthesize(ids, speaker=2, seed=0, durations=durations)[0])  # the speaker changes the output
    with pytest.raises(ValueError, match="speaker ids"):
        engine.synthesize(ids, speaker=3)
    with pytest.raises(ValueError, match="single-speaker"):
        TorchAcoustic(_model()).synthesize(ids, speaker=1)


def _toy_batch(generator):
    """Two 'utterances' whose mel is piecewise constant per phoneme: learnable alignment and prior."""
    table = torch.randn(24, 100, generator=generator) * 2 - 5
    ids = torch.tensor([[1, 5, 9, 13, 2, 0], [1, 7, 3, 11, 17, 2]])
    id_lengths = torch.tensor([5, 6])
    durations = torch.tensor([[3, 6, 4, 5, 3, 0], [2, 4, 7, 3, 5, 3]])
    frames = int(durations.sum(1).max())
    mel = torch.zeros(2, 100, frames)
    for b in range(2):
        mel[b, :, : durations[b].sum()] = torch.repeat_interleave(table[ids[b, : id_lengths[b]]].T, durations[b, : id_lengths[b]], dim=1)
    return ids, id_lengths, mel, durations.sum(1)


@pytest.mark.parametrize("method", ["splitmeanflow", "flow_matching"])
def test_loss_goes_down(method):
    generator = torch.Generator().manual_seed(0)
    ids, id_lengths, mel, mel_lengths = _toy_batch(generator)
    model = _model(mel_mean=-5.0, mel_std=2.0).train()
    objective = FlowMapObjective(ObjectiveConfig(method=method))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        terms, _ = loss_terms(model, ids, id_lengths, mel, mel_lengths, objective, generator=generator)
        loss = terms["duration"] + terms["prior"] + terms["flow"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < 0.6 * first, (first, last)
