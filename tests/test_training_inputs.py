"""Training data and checkpoints that are wrong are named, skipped or recovered, never a traceback
mid-run: BOMs, non-UTF-8 metadata, corrupt caches, audio that reads but does not decode, and broken
or foreign checkpoints."""

import json

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.test_acoustic_training import make_dataset
from text import TextFrontend
from training.checkpoints import LAST, PREVIOUS, last_checkpoint, read_checkpoint
from training.metadata import SkipReport, read_metadata
from tts.cli import main as cli
from tts.data.features import FeatureCache
from vocoder.mel_config import MelConfig
from vocoder.training.data import drop_unreadable


def test_a_byte_order_mark_does_not_cost_the_first_row(tmp_path):
    make_dataset(tmp_path)
    metadata = tmp_path / "metadata.csv"
    plain, plain_report = read_metadata(tmp_path)
    metadata.write_bytes(b"\xef\xbb\xbf" + metadata.read_bytes())
    utterances, report = read_metadata(tmp_path)
    assert utterances == plain and utterances[0].id == "u0" and report.counts == plain_report.counts


def test_non_utf8_metadata_names_its_file(tmp_path):
    make_dataset(tmp_path)
    (tmp_path / "metadata.csv").write_bytes("u0|caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"metadata\.csv: not UTF-8 text"):
        read_metadata(tmp_path)


def _cache(tmp_path):
    make_dataset(tmp_path)
    utterances, _ = read_metadata(tmp_path)
    cache = FeatureCache(tmp_path / "cache", MelConfig(), TextFrontend(), 0.5, 3.0)
    return cache, utterances, cache.build(utterances, SkipReport(), progress=False)


def test_a_corrupt_manifest_rebuilds_the_cache(tmp_path):
    cache, utterances, items = _cache(tmp_path)
    (tmp_path / "cache" / "manifest.json").write_text('{"fingerprint": "x", "items": {')
    with pytest.warns(UserWarning, match="manifest.json: corrupt feature-cache manifest"):
        rebuilt = cache.build(utterances, SkipReport(), progress=False)
    assert [item.id for item in rebuilt] == [item.id for item in items]
    json.loads((tmp_path / "cache" / "manifest.json").read_text())


def test_a_truncated_cached_item_is_recomputed_and_a_bad_one_is_named(tmp_path):
    cache, utterances, items = _cache(tmp_path)
    victim = items[2].path
    victim.write_bytes(victim.read_bytes()[:50])
    rebuilt = {item.id: item for item in cache.build(utterances, SkipReport(), progress=False)}
    mel, ids = FeatureCache.load(rebuilt[items[2].id])
    assert mel.shape[-1] == items[2].frames
    victim.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=f"{victim.name}: unreadable cached features"):
        FeatureCache.load(rebuilt[items[2].id])


def test_the_vocoder_data_check_decodes_what_it_admits(tmp_path):
    good = tmp_path / "good.wav"
    sf.write(good, 0.1 * np.sin(np.arange(24000) / 10).astype(np.float32), 24000)
    nan = tmp_path / "nan.wav"
    samples = np.zeros(24000, dtype=np.float32)
    samples[100] = np.nan
    sf.write(nan, samples, 24000, subtype="FLOAT")
    corrupt = tmp_path / "corrupt.flac"
    sf.write(corrupt, 0.1 * np.sin(np.arange(48000) / 10).astype(np.float32), 24000, format="FLAC")
    corrupt.write_bytes(corrupt.read_bytes()[:200] + b"\x00" * 4000)  # the header reads, the frames do not
    assert sf.info(str(corrupt)).frames > 0
    report = SkipReport()
    assert drop_unreadable([good, nan, corrupt], 24000, 1024, report) == [good]
    assert report.counts["audio with NaN or infinite samples"] == 1 and report.counts["unreadable audio"] == 1


@pytest.mark.parametrize(
    "content, message",
    [(b"", "not a readable checkpoint"), (b"PK\x03\x04 truncated zip", "not a readable checkpoint"), (None, "not a training checkpoint")],
)
def test_broken_or_foreign_checkpoints_are_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "x.ckpt"
    if content is None:
        torch.save({"weights": torch.zeros(2)}, path)
    else:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_checkpoint(path)
    for command in (["export", str(path), str(tmp_path / "out")], ["export-vocoder", str(path), str(tmp_path / "out")]):
        assert cli(command) == 2
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and str(path) in error and "Traceback" not in error


def test_resume_falls_back_to_the_previous_checkpoint(tmp_path, capsys):
    good = {"state_dict": {}, "hyper_parameters": {}}
    torch.save(good, tmp_path / PREVIOUS)
    (tmp_path / LAST).write_bytes(b"damaged")
    assert last_checkpoint(tmp_path) == tmp_path / PREVIOUS
    assert "resuming from" in capsys.readouterr().out
    (tmp_path / PREVIOUS).write_bytes(b"damaged too")
    with pytest.raises(ValueError, match="no readable checkpoint"):
        last_checkpoint(tmp_path)
    assert last_checkpoint(tmp_path / "none") is None
