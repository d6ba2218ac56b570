"""What the synthesizer (tts.synthesizer) is made of, one job per module: `options` (per-call settings
and their ranges), `planning` (a text checked and split into sentences and pauses), `streaming`
(clauses spoken as text arrives, mel windows, the vocoder's chunks), `audio` (the results), and
`word_timing` (when each word is spoken)."""
