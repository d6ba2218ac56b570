"""ONNX graphs (tts.graph_export): a voice that ships them runs its networks in ONNX Runtime on CPUs and
speaks as it does in torch; graphs carry no weights and refuse weights they were not made for."""

import os
import shutil
from dataclasses import replace

import numpy as np
import onnx
import pytest
import torch

import tts
from model_files.graph_cache import CACHE_ENV
from tts.cli import main as cli
from tts.graph_export import MISSING_WEIGHTS, graph_specs, load_for_graphs

GRAPHS = ["acoustic/encoder", "acoustic/duration", "acoustic/decoder", "vocoder/spectrum"]
TEXT = "Hello there, how are you today? The weather is fine."


@pytest.fixture(scope="module")
def graph_voice_dir(tiny_voice_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("graphs") / "voice"
    shutil.copytree(tiny_voice_dir, directory)
    assert cli(["export-graphs", str(directory)]) == 0
    return directory


@pytest.fixture(scope="module")
def voices(graph_voice_dir):
    return tts.load(graph_voice_dir, device="cpu"), tts.load(graph_voice_dir, device="cpu", backend="torch")


def test_graphs_name_every_weight_and_hold_none(graph_voice_dir):
    for part in ("acoustic", "vocoder"):
        for spec in graph_specs(load_for_graphs(graph_voice_dir / part)):
            model = onnx.load(str(graph_voice_dir / part / f"{spec.name}.onnx"), load_external_data=False)
            external = {t.name: t for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL}
            assert set(external) == set(spec.module.state_dict())
            for tensor in external.values():
                assert not tensor.raw_data and {e.key: e.value for e in tensor.external_data}["location"] == MISSING_WEIGHTS


@pytest.mark.parametrize("sampler, steps", [("flow_map", 1), ("flow_map", 2), ("euler", 3)])
def test_graph_voice_speaks_as_in_torch(voices, sampler, steps):
    fast, reference = voices
    assert fast.graphs == GRAPHS and reference.graphs == []
    threads = torch.get_num_threads()
    a = fast.synthesize(TEXT, steps=steps, sampler=sampler, seed=5).samples
    b = reference.synthesize(TEXT, steps=steps, sampler=sampler, seed=5).samples
    assert a.shape == b.shape and np.abs(a).max() > 0
    assert np.allclose(a, b, atol=1e-4)
    assert torch.get_num_threads() == threads  # torch gets one thread only during synthesis


@pytest.fixture(scope="module")
def int8_voice_dir(tiny_voice_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("int8") / "voice"
    shutil.copytree(tiny_voice_dir, directory)
    assert cli(["export-graphs", str(directory), "--int8"]) == 0
    return directory


def test_int8_graphs_quantize_every_weight_product_and_still_hold_no_weights(int8_voice_dir):
    for part, graph, layers in (("acoustic", "decoder", "blocks"), ("vocoder", "spectrum", "convnext")):
        module = next(spec.module for spec in graph_specs(load_for_graphs(int8_voice_dir / part)) if spec.name == graph)
        model = onnx.load(str(int8_voice_dir / part / f"{graph}.int8.onnx"), load_external_data=False)
        ops = [node.op_type for node in model.graph.node]
        # Two pointwise products per block, the output projection and the input convolution; no float
        # product of a weight is left but the depthwise convolutions, one per block.
        blocks = len(getattr(module, layers, None) or module.backbone.convnext)
        assert ops.count("MatMulIntegerToFloat") == 2 * blocks + 2 and "MatMul" not in ops, graph
        assert ops.count("Conv") == blocks, graph
        external = {t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL}
        assert external == set(module.state_dict())  # quantized from the float32 weights at load
    # The text encoder's convolutions (kernels 1, 3, 5) become int8 products too, and no float one is
    # left; the duration predictor, whose output is rounded to whole frames, keeps its float32 graph.
    encoder = onnx.load(str(int8_voice_dir / "acoustic" / "encoder.int8.onnx"), load_external_data=False)
    ops = [node.op_type for node in encoder.graph.node]
    convolutions = [m for m in load_for_graphs(int8_voice_dir / "acoustic").encoder.modules() if isinstance(m, torch.nn.Conv1d)]
    assert "Conv" not in ops and ops.count("MatMulIntegerToFloat") == len(convolutions) > 0
    assert not (int8_voice_dir / "acoustic" / "duration.int8.onnx").exists()


def test_int8_voice_speaks_like_the_float_voice_and_streams_what_it_synthesizes(voices, int8_voice_dir):
    fast, _ = voices
    int8 = tts.load(int8_voice_dir, device="cpu", int8=True)
    assert int8.graphs == ["acoustic/encoder (int8)", "acoustic/duration", "acoustic/decoder (int8)", "vocoder/spectrum (int8)"]
    assert tts.load(int8_voice_dir, device="cpu").graphs == int8.graphs  # the int8 graphs a voice ships, by default
    assert tts.load(int8_voice_dir, device="cpu", int8=False).graphs == GRAPHS
    mel, mel8 = (voice.mels(TEXT)[0] for voice in (fast, int8))
    assert mel.shape == mel8.shape and not np.array_equal(mel, mel8)
    assert np.abs(mel - mel8).mean() < 0.05 * mel.std()
    # Activation ranges are fixed, so a frame's output does not depend on what else is in the call, up
    # to the quantization steps that a window's float rounding can move (far below the speech).
    whole = int8.synthesize(TEXT).samples
    streamed = np.concatenate([chunk.samples for chunk in int8.stream(TEXT)])
    batched = int8.synthesize_batch(["Short one.", TEXT])[1].samples
    for other in (streamed, batched):
        assert other.shape == whole.shape and np.sum((other - whole) ** 2) < 1e-3 * np.sum(whole**2)


def test_int8_graphs_need_a_whole_voice_and_int8_needs_them(int8_voice_dir, graph_voice_dir, tmp_path):
    shutil.copytree(int8_voice_dir / "acoustic", tmp_path / "acoustic")
    assert cli(["export-graphs", str(tmp_path / "acoustic"), "--int8"]) == 2
    with pytest.raises(ValueError, match="no int8 graphs"):
        tts.load(graph_voice_dir, device="cpu", int8=True)
    with pytest.raises(ValueError, match="int8=True"):
        tts.load(int8_voice_dir, device="cpu", int8=True, backend="torch")


def test_graph_voice_streams_and_batches_what_it_synthesizes(voices):
    fast, _ = voices
    whole = fast.synthesize(TEXT, seed=2).samples
    streamed = np.concatenate([chunk.samples for chunk in fast.stream(TEXT, seed=2)])
    assert streamed.shape == whole.shape and np.allclose(streamed, whole, atol=1e-4)
    batch = fast.synthesize_batch(["Short one.", TEXT], seed=2)
    assert np.allclose(batch[1].samples, whole, atol=1e-4)


def test_multi_speaker_graphs_take_the_speaker(tmp_path):
    from text import TextFrontend
    from tts.model import AcousticConfig, AcousticModel
    from tts.model.config import DecoderConfig, DurationConfig, EncoderConfig
    from vocoder import VocosConfig, VocosVocoder

    frontend = TextFrontend()
    torch.manual_seed(1)
    config = AcousticConfig(
        n_vocab=len(frontend.symbols), n_speakers=3, speaker_dim=8,
        encoder=EncoderConfig(channels=16, filter_channels=32, layers=1, prenet_layers=1),
        duration=DurationConfig(filter_channels=16),
        decoder=DecoderConfig(dim=16, intermediate_dim=32, layers=1),
    )
    model = AcousticModel(config)
    with torch.no_grad():
        model.duration_predictor.out.bias.fill_(1.5)
        for block in model.decoder.blocks:  # speakers must change the output: open the zero-initialized gates
            block.modulation.weight.normal_(0, 0.3)
    model.extra = {"frontend": frontend.config(), "speakers": ["a", "b", "c"]}
    model.save(tmp_path / "acoustic")
    VocosVocoder(VocosConfig(dim=16, intermediate_dim=32, num_layers=1)).save(tmp_path / "vocoder")
    assert cli(["export-graphs", str(tmp_path / "acoustic")]) == 0
    fast = tts.load(tmp_path, device="cpu", backend="auto")
    reference = tts.load(tmp_path, device="cpu", backend="torch")
    assert fast.graphs == GRAPHS[:3]  # the vocoder got no graphs: it runs in torch
    for speaker in ("a", "c"):
        a, b = (voice.synthesize("Good morning.", speaker=speaker).samples for voice in (fast, reference))
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-4)
    a, c = (fast.synthesize("Good morning.", speaker=speaker).samples for speaker in ("a", "c"))
    assert a.shape != c.shape or not np.allclose(a, c)  # the speaker input reaches the graphs


def test_backend_choice(graph_voice_dir, tiny_voice_dir):
    with pytest.raises(FileNotFoundError, match="export-graphs"):
        tts.load(tiny_voice_dir, device="cpu", backend="onnx")
    assert tts.load(tiny_voice_dir, device="cpu").graphs == []  # auto: torch where there are no graphs
    assert tts.load(graph_voice_dir, device="cpu", backend="onnx").graphs == GRAPHS
    assert tts.load(graph_voice_dir, device="cpu", dtype="bfloat16").graphs == []  # graphs compute float32
    with pytest.raises(ValueError, match="float32 on the CPU"):
        tts.load(graph_voice_dir, device="cpu", dtype="bfloat16", backend="onnx")
    with pytest.raises(ValueError, match="backend must be"):
        tts.load(graph_voice_dir, device="cpu", backend="tensorrt")


def test_graphs_refuse_weights_they_were_not_made_for(graph_voice_dir, tmp_path):
    from tts.model import AcousticModel

    voice = tmp_path / "voice"
    shutil.copytree(graph_voice_dir, voice)
    model = AcousticModel.load(voice / "acoustic")
    wider = AcousticModel(replace(model.config, decoder=replace(model.config.decoder, dim=24, intermediate_dim=48)))
    wider.extra = model.extra
    wider.save(voice / "acoustic")  # new weights beside the old architecture's graphs
    with pytest.raises(ValueError, match="re-export"):
        tts.load(voice, device="cpu")
    assert tts.load(voice, device="cpu", backend="torch").synthesize("Hi.").duration > 0


def test_export_graphs_needs_an_export(tmp_path):
    assert cli(["export-graphs", str(tmp_path)]) == 2


def test_a_second_load_opens_the_optimized_graphs_from_the_cache(int8_voice_dir, tmp_path, monkeypatch):
    from model_files import onnx_runtime

    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    first = tts.load(int8_voice_dir, device="cpu")
    assert len(list(cache.glob("*.onnx"))) == 4 and not list(cache.glob("*.tmp"))

    def no_weights(path):
        raise AssertionError(f"read {path} whole")

    # A warm start reads no weights file whole: the cached graphs carry theirs.
    monkeypatch.setattr(onnx_runtime, "read_weights", no_weights)
    second = tts.load(int8_voice_dir, device="cpu")
    assert second.graphs == first.graphs
    assert np.array_equal(second.synthesize(TEXT).samples, first.synthesize(TEXT).samples)


def test_a_damaged_cache_entry_is_rebuilt_and_new_weights_never_meet_old_entries(graph_voice_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    reference = tts.load(graph_voice_dir, device="cpu").synthesize(TEXT).samples
    for entry in cache.iterdir():
        entry.write_bytes(b"not a graph")
    assert np.array_equal(tts.load(graph_voice_dir, device="cpu").synthesize(TEXT).samples, reference)
    assert len(list(cache.iterdir())) == 4 and all(entry.stat().st_size > 1000 for entry in cache.iterdir())

    voice = tmp_path / "voice"
    shutil.copytree(graph_voice_dir, voice)
    before = tts.load(voice, device="cpu").synthesize(TEXT).samples
    assert len(list(cache.iterdir())) == 8  # another voice: its own entries
    # Other weights of the same size, written back with the old file's times (as `cp -p` would).
    weights = voice / "acoustic" / "model.safetensors"
    stat = weights.stat()
    _scale_tensors_in_place(weights, "decoder.", 1.5)
    assert weights.stat().st_size == stat.st_size
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = tts.load(voice, device="cpu").synthesize(TEXT).samples
    assert len(list(cache.iterdir())) == 11  # the acoustic model's three graphs anew, the vocoder's reused
    monkeypatch.setenv(CACHE_ENV, "off")
    assert np.array_equal(after, tts.load(voice, device="cpu").synthesize(TEXT).samples) and not np.array_equal(after, before)


def _scale_tensors_in_place(path, prefix: str, factor: float) -> None:
    """Multiply the stored tensors whose names start with `prefix`, leaving the file's layout and size."""
    import json
    import struct

    data = bytearray(path.read_bytes())
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    for name, entry in header.items():
        if name.startswith(prefix):
            start, end = (8 + size + offset for offset in entry["data_offsets"])
            dtype = {"F16": np.float16, "F32": np.float32}[entry["dtype"]]
            data[start:end] = (np.frombuffer(bytes(data[start:end]), dtype=dtype) * factor).astype(dtype).tobytes()
    path.write_bytes(bytes(data))


def test_the_graph_cache_can_be_turned_off_and_an_unusable_one_is_no_error(graph_voice_dir, tmp_path, monkeypatch):
    from model_files import graph_cache
    from model_files.graph_cache import cache_directory

    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_directory() is None
    assert tts.load(graph_voice_dir, device="cpu").synthesize("Hi.").duration > 0
    reference = tts.load(graph_voice_dir, device="cpu").synthesize(TEXT).samples
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # cannot be made
    assert np.array_equal(tts.load(graph_voice_dir, device="cpu").synthesize(TEXT).samples, reference)
    # A directory that exists but takes no files: ONNX Runtime cannot write there.
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(graph_cache, "temporary_path", lambda entry: tmp_path / "missing" / "entry.tmp")
    assert np.array_equal(tts.load(graph_voice_dir, device="cpu").synthesize(TEXT).samples, reference)
    assert not (tmp_path / "cache").exists()


def test_vocoder_graphs_that_end_at_the_coefficients_still_speak(voices, monkeypatch):
    """Graphs exported before the head's nonlinearities moved out of the graph return (real, imaginary)."""
    fast, _ = voices
    vocoder = fast.vocoder
    mel = fast.mels(TEXT)[0][None]
    expected = vocoder(mel)
    coefficients = vocoder.coefficients(mel)
    monkeypatch.setattr(vocoder, "graph", lambda mel: coefficients)
    assert np.allclose(vocoder(mel), expected, atol=1e-5)
