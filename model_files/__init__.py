"""A network's files, for the acoustic model and the vocoders alike; imports neither `tts` nor `vocoder`.

- `typed_config`: dataclass configs read from YAML or JSON, with errors that name the bad key;
- `export`: an exported model's directory, `config.json` + `model.safetensors`, written and read;
- `onnx_runtime`: the ONNX graphs beside an export, run with ONNX Runtime (no torch);
- `onnx_export`, `onnx_int8`: writing those graphs with torch.onnx, and their int8 rewrite.

Nothing is imported here: reading a config or running a graph never imports torch.
"""
