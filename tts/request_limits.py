"""What one request may ask of a server (the speech server and Wyoming, and their CLI flags' defaults)."""

MAX_INPUT_CHARS = 4096
"""Longest text one request may send."""
MAX_AUDIO_SECONDS = 600.0
"""Most audio one request may make, pauses included."""
