"""The quality-vs-steps figure of `tts eval --plot`: WER and DNSMOS against network evaluations,
flow-map jumps beside Euler integration of the same network, with the reference as a line."""

from __future__ import annotations

from pathlib import Path


def plot_quality_vs_steps(results, reference: dict | None, path: str | Path, title: str = "") -> Path:
    """Write a two-panel PNG/SVG (by `path`'s suffix): WER % and DNSMOS overall against steps.

    results: `SettingResult`s (sampler, steps, wer, dnsmos_ovrl); reference: `evaluate_references`' dict.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display on servers
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("plotting needs matplotlib: pip install 'flowmap-tts[eval]'") from error

    panels = [("wer", "WER % (lower is better)"), ("dnsmos_ovrl", "DNSMOS overall (higher is better)")]
    panels = [(key, label) for key, label in panels if any(getattr(r, key) is not None for r in results)]
    if not panels:
        raise ValueError("nothing to plot: the evaluation has neither WER nor DNSMOS (run without --no-asr/--no-mos)")
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for axis, (key, label) in zip(axes[0], panels):
        for sampler, name, marker in (("flow_map", "flow map (ours)", "o"), ("euler", "Euler, same network", "s")):
            points = sorted((r.steps, getattr(r, key)) for r in results if r.sampler == sampler and getattr(r, key) is not None)
            if points:
                axis.plot(*zip(*points), marker=marker, label=name)
        if reference is not None and reference.get(key) is not None:
            axis.axhline(reference[key], color="gray", linestyle="--", label="reference")
        axis.set_xscale("log", base=2)
        axis.set_xlabel("network evaluations")
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
        axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
