"""The two engines that run a voice's networks behind one interface of numpy arrays.

- `OnnxAcoustic` (tts.engine.onnx_acoustic) with `vocoder.onnx_vocos.OnnxVocos`: the CPU runtime.
  The networks run as the export's ONNX graphs in ONNX Runtime; the glue between them (durations,
  length regulation, noise, the flow-map steps, the inverse STFT) runs in numpy. No torch.
- `TorchAcoustic` and `TorchVocoder` (tts.engine.torch_engine): the torch modules, on any device and
  precision (GPUs), for voices without graphs, and for the pretrained and Griffin-Lim vocoders.

An acoustic engine has `config` (AcousticConfig), `extra` (the export's metadata), `device`, `dtype`,
`prepare(id_lists, speed, temperature, speaker, seed) -> Prepared` and
`generate(prepared, steps, sampler, start, end) -> (B, n_mels, end - start)` log-mel. A vocoder engine has
`mel_config`, `sample_rate`, `hop_length`, `context_frames`, `decode(mel)` and is called on mel windows
(B, n_mels, t) -> audio (B, <= t * hop), as `vocoder.streaming.StreamingDecoder` expects. Both engines
draw the same noise (`tts.engine.glue.frame_noise`), so they give the same audio up to float rounding.
"""
