"""A thinner flow-map decoder or text encoder distilled from a trained model: the pruned start
(tts.training.shrink) and distillation runs (`distill:` in a training config)."""

import csv
from dataclasses import replace

import pytest
import torch

from tests.test_acoustic_training import make_dataset
from tts.engine.torch_engine import TorchAcoustic
from tts.model import AcousticModel
from tts.model.config import AcousticConfig, DecoderConfig, EncoderConfig
from tts.training.run import load_acoustic_config, train_acoustic
from tts.training.shrink import (
    evenly_spaced_blocks,
    shrink_decoder_state,
    shrink_encoder_state,
)


def _decode(model: AcousticModel, generator: torch.Generator) -> torch.Tensor:
    z = torch.randn(2, model.config.mel.n_mels, 20, generator=generator)
    mu = torch.randn(2, model.config.mel.n_mels, 20, generator=generator)
    mask = torch.ones(2, 1, 20)
    r, t = torch.tensor([0.0, 0.3]), torch.tensor([1.0, 0.8])
    with torch.no_grad():
        return model.decoder(z, r, t, mu=mu, mask=mask)


def test_a_pruned_decoder_is_its_teacher_less_what_carried_nothing():
    torch.manual_seed(0)
    config = AcousticConfig(n_vocab=40, decoder=DecoderConfig(dim=32, intermediate_dim=16, layers=3))
    teacher = AcousticModel(config).eval()
    with torch.no_grad():
        for parameter in teacher.decoder.parameters():
            parameter.add_(0.2 * torch.randn_like(parameter))  # non-zero gates, as after training
        teacher.decoder.blocks[1].pointwise2.weight.zero_()  # block 1 adds nothing to the residual stream
        teacher.decoder.blocks[1].pointwise2.bias.zero_()
        for i in (0, 2):
            teacher.decoder.blocks[i].pointwise2.weight[:, ::2] = 0  # half of each kept block's units add nothing
    student_config = replace(config, decoder=DecoderConfig(dim=32, intermediate_dim=8, layers=2))
    student = AcousticModel(student_config).eval()
    student.load_state_dict(shrink_decoder_state(teacher.state_dict(), config.decoder, student_config.decoder, blocks=(0, 2)))
    # The student is the teacher without what it dropped: block 1 and the units that carried nothing.
    assert torch.allclose(_decode(student, torch.Generator().manual_seed(1)), _decode(teacher, torch.Generator().manual_seed(1)), atol=1e-5)
    assert student.decoder.blocks[0].pointwise1.weight.shape == (8, 32)
    # Encoder and duration predictor come along unchanged.
    assert torch.equal(student.state_dict()["encoder.embedding.weight"], teacher.state_dict()["encoder.embedding.weight"])

    with pytest.raises(ValueError, match="wider"):
        shrink_decoder_state(teacher.state_dict(), config.decoder, DecoderConfig(dim=32, intermediate_dim=32, layers=2))
    with pytest.raises(ValueError, match="keeps its teacher's dim"):
        shrink_decoder_state(teacher.state_dict(), config.decoder, DecoderConfig(dim=16, intermediate_dim=8, layers=2))
    with pytest.raises(ValueError, match="must name 2"):
        shrink_decoder_state(teacher.state_dict(), config.decoder, student_config.decoder, blocks=(0, 3))
    assert evenly_spaced_blocks(6, 3) == (0, 2, 5) and evenly_spaced_blocks(6, 6) == tuple(range(6)) and evenly_spaced_blocks(4, 1) == (3,)


def test_a_thinner_decoder_distils_from_its_teacher(tmp_path):
    make_dataset(tmp_path)
    teacher = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", {"trainer": {"max_steps": 2}}), progress=False)
    settings = {
        "model": {"decoder": {"dim": 32, "intermediate_dim": 32, "layers": 1}},
        "distill": {"teacher": str(teacher), "weight": 1.0},
        "trainer": {"max_steps": 2, "out_dir": str(tmp_path / "student")},
    }
    student = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", settings), progress=False, init_from=teacher)
    model = AcousticModel.load(student)
    assert model.config.decoder == DecoderConfig(dim=32, intermediate_dim=32, layers=1)
    assert model.config.encoder == AcousticModel.load(teacher).config.encoder
    rows = list(csv.DictReader((tmp_path / "student" / "logs" / "version_0" / "metrics.csv").read_text().splitlines()))
    distilled = [float(row["train/distill"]) for row in rows if row.get("train/distill")]
    assert len(distilled) == 2 and all(value > 0 for value in distilled)
    mel, _ = TorchAcoustic(model, "cpu").synthesize([[5, 6, 7, 8]], steps=1)
    assert mel.shape[1] == model.config.mel.n_mels and torch.isfinite(torch.from_numpy(mel)).all()

    # A student wider than the model it starts from is refused before training.
    wider = {**settings, "model": {"decoder": {"dim": 32, "intermediate_dim": 128, "layers": 1}}, "trainer": {"max_steps": 1, "out_dir": str(tmp_path / "wide")}}
    with pytest.raises(ValueError, match="wider"):
        train_acoustic(load_acoustic_config(tmp_path / "config.yaml", wider), progress=False, init_from=teacher)


def _encode(model: AcousticModel):
    ids = torch.tensor([[3, 9, 4, 12, 7, 5], [8, 2, 11, 6, 0, 0]])
    with torch.no_grad():
        return model.encode(ids, torch.tensor([6, 4]))


def test_a_pruned_encoder_is_its_teacher_less_what_carried_nothing():
    torch.manual_seed(0)
    config = AcousticConfig(n_vocab=20, encoder=EncoderConfig(channels=16, filter_channels=32, heads=2, layers=2, prenet_layers=3))
    teacher = AcousticModel(config).eval()
    with torch.no_grad():
        for block in teacher.encoder.feed_forward:
            block.conv2.weight[:, 1::2] = 0  # half of each feed-forward's units add nothing
        teacher.encoder.prenet[1][0].weight.zero_()  # the middle prenet layer adds relu(norm(0)) = relu(its norm's bias),
        teacher.encoder.prenet[1][0].bias.zero_()
        teacher.encoder.prenet[1][1].bias.fill_(-1.0)  # which is nothing
    student_config = replace(config, encoder=replace(config.encoder, filter_channels=16, prenet_layers=2))
    student = AcousticModel(student_config).eval()
    student.load_state_dict(shrink_encoder_state(teacher.state_dict(), config.encoder, student_config.encoder))
    ours, theirs = _encode(student), _encode(teacher)
    assert torch.allclose(ours.mu, theirs.mu, atol=1e-5) and torch.allclose(ours.log_durations, theirs.log_durations, atol=1e-5)
    assert student.encoder.feed_forward[0].conv1.weight.shape == (16, 16, 3) and len(student.encoder.prenet) == 2
    assert torch.equal(student.encoder.prenet[1][0].weight, teacher.encoder.prenet[2][0].weight)
    # The decoder comes along unchanged.
    assert torch.equal(student.state_dict()["decoder.output.weight"], teacher.state_dict()["decoder.output.weight"])

    with pytest.raises(ValueError, match="wider"):
        shrink_encoder_state(teacher.state_dict(), config.encoder, replace(config.encoder, filter_channels=64))
    with pytest.raises(ValueError, match="filter_channels and prenet_layers alone"):
        shrink_encoder_state(teacher.state_dict(), config.encoder, replace(config.encoder, filter_channels=16, layers=1))


def test_a_thinner_encoder_learns_its_teachers_prior_mean_and_durations(tmp_path):
    make_dataset(tmp_path)
    teacher = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", {"trainer": {"max_steps": 2}}), progress=False)
    settings = {
        "model": {"encoder": {"channels": 32, "filter_channels": 16, "heads": 2, "layers": 1, "prenet_layers": 0}},
        "distill": {"teacher": str(teacher), "prior_weight": 1.0, "duration_weight": 1.0},
        "optim": {"frozen": ["decoder"]},
        "trainer": {"max_steps": 2, "out_dir": str(tmp_path / "student")},
    }
    student = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", settings), progress=False, init_from=teacher)
    model, original = AcousticModel.load(student), AcousticModel.load(teacher)
    assert (model.config.encoder.filter_channels, model.config.encoder.prenet_layers) == (16, 0) and model.config.decoder == original.config.decoder
    assert all(torch.allclose(a, b) for a, b in zip(model.decoder.state_dict().values(), original.decoder.state_dict().values()))
    rows = list(csv.DictReader((tmp_path / "student" / "logs" / "version_0" / "metrics.csv").read_text().splitlines()))
    for term in ("train/distill_prior", "train/distill_duration", "train/distill"):
        logged = [float(row[term]) for row in rows if row.get(term)]
        # The pruned start is not its teacher yet: every term is positive.
        assert len(logged) == 2 and all(value > 0 for value in logged), term
    mel, _ = TorchAcoustic(model, "cpu").synthesize([[5, 6, 7, 8]], steps=1)
    assert torch.isfinite(torch.from_numpy(mel)).all()
