// The playground: text in, audio out over the WebSocket /v1/audio/stream, played as it arrives.
// Counters for tests and curious people are on #status's data attributes.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const status = $("status"), errorBox = $("error"), wordsBox = $("words"), voiceSelect = $("voice");
  const playButton = $("play"), cancelButton = $("cancel"), downloadButton = $("download");
  const voiceRates = {};
  let audio = null; // one AudioContext, made on the first Play (a user gesture)
  let run = null; // the conversation of the last Play
  const ACTIVE = ["connecting", "playing", "received"];
  const SAYS = { received: "playing (all audio received)", stopped: "stopped (cancelled)" };

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function render() {
    const r = run, d = status.dataset;
    d.state = r ? r.state : "idle";
    d.bytes = r ? r.bytes : 0;
    d.chunks = r ? r.scheduled : 0;
    d.ttfa = r && r.ttfa !== null ? r.ttfa : "";
    d.words = r ? r.spans.length : 0;
    d.highlighted = r ? r.highlighted.join(",") : "";
    d.cancelled = r && r.acknowledged ? "1" : "0";
    let line = SAYS[d.state] || d.state;
    if (r && r.ttfa !== null) line += ` · first audio after ${r.ttfa} ms · ${r.scheduled} chunks · ${(r.bytes / 1024).toFixed(1)} KB`;
    status.textContent = line;
    cancelButton.disabled = !r || !ACTIVE.includes(r.state);
    downloadButton.disabled = !r || r.bytes === 0;
  }

  function send(r, message) {
    if (r.ws.readyState === WebSocket.OPEN) r.ws.send(JSON.stringify(message));
  }

  function play() {
    if (run) stop(run);
    showError("");
    const text = $("text").value;
    if (!text.trim()) return showError("Type something to speak.");
    audio = audio || new AudioContext();
    audio.resume();
    const config = { type: "config", voice: voiceSelect.value || undefined };
    for (const name of ["speed", "steps", "temperature", "sharpen", "pitch", "pitch_range", "volume"]) {
      const value = $(name).value.trim();
      if (value !== "") config[name] = Number(value);
    }
    if ($("rate").value) config.sample_rate = Number($("rate").value);
    const r = {
      state: "connecting", t0: performance.now(), ttfa: null, rate: config.sample_rate || voiceRates[config.voice] || 0,
      chunks: [], bytes: 0, scheduled: 0, samples: 0, nextTime: 0, sources: new Set(),
      pending: [], timed: [], spans: [], current: null, highlighted: [], cancelled: false, acknowledged: false, flushed: false,
    };
    run = r;
    wordsBox.textContent = "";
    r.ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/audio/stream`);
    r.ws.binaryType = "arraybuffer";
    r.ws.onopen = () => {
      if (r.cancelled) return r.ws.close();
      for (const message of [config, { type: "text", text }, { type: "flush" }]) send(r, message);
    };
    r.ws.onmessage = (event) => (typeof event.data === "string" ? message(r, event.data) : chunk(r, event.data));
    r.ws.onclose = () => {
      if (r === run && ["connecting", "playing"].includes(r.state)) {
        r.state = "error";
        showError("The connection closed before the audio was complete.");
        render();
      }
    };
    render();
  }

  function message(r, data) {
    let m;
    try { m = JSON.parse(data); } catch { return; }
    if (m.type === "cancelled") { r.acknowledged = true; send(r, { type: "close" }); }
    else if (m.type === "closed") r.ws.close();
    if (r !== run || r.cancelled) return render();
    if (m.type === "ready" && !r.rate) r.rate = m.sample_rate;
    else if (m.type === "words") r.pending.push(...m.words);
    else if (m.type === "error") showError(m.message);
    else if (m.type === "flushed") { r.flushed = true; r.state = "received"; }
    render();
  }

  function chunk(r, buffer) {
    if (r !== run || r.cancelled) return; // after a cancel nothing more is scheduled
    if (r.ttfa === null) r.ttfa = Math.round(performance.now() - r.t0);
    const pcm = new Int16Array(buffer, 0, buffer.byteLength >> 1);
    r.chunks.push(pcm);
    r.bytes += pcm.byteLength;
    if (r.state === "connecting") r.state = "playing";
    if (pcm.length) {
      const samples = new Float32Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 32768;
      const clip = audio.createBuffer(1, pcm.length, r.rate);
      clip.copyToChannel(samples, 0);
      const source = audio.createBufferSource();
      source.buffer = clip;
      source.connect(audio.destination);
      const at = Math.max(r.nextTime, audio.currentTime + 0.05); // back to back; later after a gap
      source.start(at);
      r.sources.add(source);
      source.onended = () => r.sources.delete(source);
      const offset = r.samples / r.rate; // where this chunk starts in the conversation's audio
      for (const word of r.pending) addWord(r, word, at + word.start - offset);
      r.pending = [];
      r.samples += pcm.length;
      r.nextTime = at + pcm.length / r.rate;
      r.scheduled += 1;
    }
    render();
  }

  function addWord(r, word, at) {
    const span = document.createElement("span");
    span.textContent = word.text;
    span.dataset.i = r.spans.length;
    if (r.spans.length) wordsBox.append(" ");
    wordsBox.append(span);
    r.spans.push(span);
    r.timed.push({ i: r.spans.length - 1, at });
  }

  function tick() { // highlights and the end of playback, against the AudioContext's clock
    const r = run;
    if (!r || !audio || r.cancelled) return;
    const now = audio.currentTime;
    let changed = false;
    while (r.timed.length && r.timed[0].at <= now) {
      const word = r.timed.shift();
      if (r.current) r.current.className = "said";
      r.current = r.spans[word.i];
      r.current.className = "now";
      r.highlighted.push(word.i);
      changed = true;
    }
    if (r.state === "received" && !r.timed.length && now >= r.nextTime) {
      if (r.current) r.current.className = "said";
      r.state = "finished";
      send(r, { type: "close" });
      changed = true;
    }
    if (changed) render();
  }

  function stop(r) { // barge-in: silence now, drop what is queued, tell the server
    if (r.cancelled || !ACTIVE.includes(r.state)) return;
    r.cancelled = true;
    for (const source of r.sources) {
      try { source.stop(); source.disconnect(); } catch { /* already ended */ }
    }
    r.sources.clear();
    r.timed = [];
    r.pending = [];
    r.state = "stopped";
    send(r, { type: "cancel" });
    render();
  }

  function wav(r) { // 44-byte RIFF header, then the 16-bit mono PCM as received
    const header = new DataView(new ArrayBuffer(44));
    const text = (at, s) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
    const rate = r.rate;
    text(0, "RIFF"); header.setUint32(4, 36 + r.bytes, true); text(8, "WAVEfmt ");
    header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 1, true);
    header.setUint32(24, rate, true); header.setUint32(28, rate * 2, true); header.setUint16(32, 2, true);
    header.setUint16(34, 16, true); text(36, "data"); header.setUint32(40, r.bytes, true);
    return new Blob([header, ...r.chunks], { type: "audio/wav" });
  }

  function download() {
    if (!run || !run.bytes) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(wav(run));
    link.download = "speech.wav";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function loadVoices() {
    try {
      const answer = await fetch("/v1/voices");
      if (!answer.ok) throw new Error(`GET /v1/voices answered ${answer.status}`);
      const health = await fetch("/health").then((h) => h.json()).catch(() => ({}));
      for (const voice of (await answer.json()).voices) {
        voiceRates[voice.id] = voice.sample_rate;
        voiceSelect.add(new Option(`${voice.id} (${voice.sample_rate} Hz)`, voice.id));
      }
      if (health.default_voice) voiceSelect.value = health.default_voice;
      voiceSelect.dataset.loaded = "1";
    } catch (error) {
      showError(`Could not list the voices: ${error.message}`);
    }
  }

  playButton.onclick = play;
  cancelButton.onclick = () => run && stop(run);
  downloadButton.onclick = download;
  $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) play(); });
  setInterval(tick, 15);
  window.playground = { // for tests: the WAV so far, sources still to play, seconds of audio queued
    wav: () => (run && run.bytes ? wav(run) : null),
    sources: () => (run ? run.sources.size : 0),
    ahead: () => (run && audio && !run.cancelled ? Math.max(0, run.nextTime - audio.currentTime) : 0),
  };
  loadVoices();
  render();
})();
