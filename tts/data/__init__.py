"""Training data: dataset listings (LJSpeech-style metadata), skip reports, feature caches, batching."""
