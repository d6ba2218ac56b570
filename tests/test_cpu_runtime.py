"""The CPU runtime: `pip install .` speaks with ONNX Runtime and numpy alone, and never imports torch.

Each check runs in a fresh interpreter in which importing torch (or torchaudio, vocos, lightning,
librosa) fails, as on a machine where only the runtime is installed.
"""

import json
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

BLOCK_TORCH = """
import importlib.abc, sys
class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"torch", "torchaudio", "vocos", "lightning", "librosa", "numba"}:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: the CPU runtime must not need it)", name=name)
sys.meta_path.insert(0, _NoTorch())
"""


def run_without_torch(code: str, *args: str) -> subprocess.CompletedProcess:
    script = BLOCK_TORCH + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)


def test_the_python_api_speaks_without_torch(tmp_path):
    result = run_without_torch(
        """
        import json, sys
        import numpy as np
        import tts
        voice = tts.load()
        whole = voice.synthesize("Hello there. How are you today?")
        chunks = list(voice.stream("Hello there. How are you today?"))
        pieces = list(voice.stream(iter(["Hello ", "there. How are ", "you today?"])))
        batch = voice.synthesize_batch(["Hi.", "Hello there. How are you today?"])
        int8 = tts.load(int8=True).synthesize("Hello there.")
        whole.save(sys.argv[1])
        print(json.dumps({
            "seconds": whole.duration,
            # int8: equal up to quantization steps that window rounding can move (tests/test_default_voice.py)
            "stream_equal": bool(np.sum((np.concatenate([c.samples for c in chunks]) - whole.samples) ** 2) < 10**-2.5 * np.sum(whole.samples ** 2)),
            "pieces": len(pieces) > 0,
            "batch_equal": bool(np.allclose(batch[1].samples, whole.samples, atol=1e-4)),
            "int8": int8.duration > 0,
            "runtime": voice.runtime,
            "heavy": sorted(m for m in ("torch", "torchaudio", "vocos", "lightning", "librosa") if m in sys.modules),
        }))
        """,
        str(tmp_path / "out.wav"),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert 1.0 < report["seconds"] < 5.0 and report["stream_equal"] and report["pieces"] and report["batch_equal"] and report["int8"]
    assert report["runtime"].startswith("ONNX Runtime for acoustic/encoder") and report["heavy"] == []
    assert (tmp_path / "out.wav").stat().st_size > 10_000


def test_the_cli_speaks_without_torch(tmp_path):
    out = tmp_path / "hello.wav"
    lines = tmp_path / "lines.txt"
    lines.write_text("a|Hello there.\nb|Good morning.\n")
    result = run_without_torch(
        """
        import sys
        from tts.cli import main
        assert main(["synth", "Hello there.", "-o", sys.argv[1]]) == 0
        assert main(["synth", "--file", sys.argv[2], "--out-dir", sys.argv[3], "--quiet"]) == 0
        assert "torch" not in sys.modules
        """,
        str(out), str(lines), str(tmp_path / "batch"),
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == ["a.wav", "b.wav"]


def test_the_server_speaks_without_torch():
    result = run_without_torch(
        """
        import asyncio, sys
        from aiohttp.test_utils import TestClient, TestServer
        import tts
        from tts.server import SpeechServer

        async def main():
            async with TestClient(TestServer(SpeechServer({"default": tts.load()}, "default").app())) as client:
                response = await client.post("/v1/audio/speech", json={"input": "Hello there.", "response_format": "wav"})
                assert response.status == 200, await response.text()
                return len(await response.read())

        size = asyncio.run(main())
        assert size > 10_000 and "torch" not in sys.modules, size
        """
    )
    assert result.returncode == 0, result.stderr


def test_a_voice_without_graphs_says_in_one_line_how_to_make_them(tiny_voice_dir, tmp_path):
    voice = tmp_path / "voice"
    shutil.copytree(tiny_voice_dir, voice)  # the tiny voice has weights but no ONNX graphs
    result = run_without_torch(
        """
        import sys
        from tts.cli import main
        sys.exit(main(["synth", "Hello.", "--voice", sys.argv[1], "-o", sys.argv[2]]))
        """,
        str(voice), str(tmp_path / "x.wav"),
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"tts export-graphs {voice / 'acoustic'}" in result.stderr


def test_training_commands_without_torch_say_what_to_install():
    result = run_without_torch(
        """
        import sys
        from tts.cli import main
        sys.exit(main(["export", "missing.ckpt", "out"]))
        """
    )
    assert result.returncode == 2 and "pip install 'flowmap-tts[train]'" in result.stderr and "Traceback" not in result.stderr


def test_importing_the_cli_and_help_import_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from tts.cli import parse_args\ntry:\n    parse_args(['--help'])\nexcept SystemExit:\n    pass\n"
         "print(sorted(m for m in ('torch', 'numpy', 'onnxruntime', 'phonemizer', 'aiohttp') if m in sys.modules), file=sys.stderr)"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_tiny_voice_engines_agree_at_temperature_zero(tiny_voice_dir, tmp_path):
    import tts
    from tts.cli import main as cli

    voice_dir = tmp_path / "voice"
    shutil.copytree(tiny_voice_dir, voice_dir)
    assert cli(["export-graphs", str(voice_dir)]) == 0
    runtime, reference = tts.load(voice_dir), tts.load(voice_dir, backend="torch")
    assert runtime.graphs and not reference.graphs
    for options in ({"steps": 1}, {"steps": 2}):
        a = runtime.synthesize("Hello there, how are you today?", temperature=0.0, **options).samples
        b = reference.synthesize("Hello there, how are you today?", temperature=0.0, **options).samples
        assert a.shape == b.shape and np.abs(a).max() > 0 and np.abs(a - b).max() <= 1e-4


@pytest.mark.parametrize("backend", ["onnx", "auto"])
def test_the_cpu_runtime_refuses_what_only_torch_does(tiny_voice_dir, backend):
    import tts

    with pytest.raises(ValueError, match="float32 on the CPU|int8"):
        tts.load(tiny_voice_dir, backend="onnx", dtype="float16")
    with pytest.raises(ValueError, match="int8 must be None, True or False"):
        tts.load(tiny_voice_dir, int8="yes")
    with pytest.raises(ValueError, match="threads must be a whole number"):
        tts.load(tiny_voice_dir, threads=0)
    with pytest.raises(FileNotFoundError, match="tts export-graphs"):
        tts.load(tiny_voice_dir, backend="onnx")
