"""`tts eval`: intelligibility (Whisper WER/CER), a reference-free quality proxy (DNSMOS), and speed.

The scorers need the optional extra `pip install "flowmap-tts[eval]"` (faster-whisper, whisper-normalizer,
jiwer, speechmos); they are imported only when used.
"""
