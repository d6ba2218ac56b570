"""The two engines that run a voice's networks behind one interface of numpy arrays.

- The acoustic engines share one base, `AcousticEngine` (tts.engine.acoustic): the padding,
  durations, length regulation and noise (tts.engine.frames), the decoder window and its context,
  and the one sampler loop (tts.flow.samplers). Each engine supplies only its network calls:
  - `OnnxAcoustic` (tts.engine.onnx_acoustic): the export's ONNX graphs in ONNX Runtime, no torch;
  - `TorchAcoustic` (tts.engine.torch_engine): the torch modules, on any device and precision.
- The vocoder engines: `vocoder.onnx_vocos.OnnxVocos` (the CPU runtime) and `TorchVocoder` (torch
  modules, also for the pretrained and Griffin-Lim vocoders). Each has `mel_config`, `sample_rate`,
  `hop_length`, `context_frames` and `decode(mel)`, and is called on mel windows (B, n_mels, t) ->
  audio (B, <= t * hop), as `vocoder.streaming.StreamingDecoder` expects.

Both acoustic engines draw the same noise, so they give the same audio up to float rounding.
"""
