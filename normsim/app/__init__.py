"""The workshop app (``normsim app``): a browser page over the library, for live demonstrations.

A thin shell: presets are the shipped scenarios, controls are model parameters in plain words
(:mod:`normsim.app.controls`), the views read the model's records and events. Built on Solara,
the framework of Mesa's SolaraViz; see ``docs/app.md``.
"""

from __future__ import annotations


def serve(host: str = "127.0.0.1", port: int = 8765, preset: str = "baseline") -> None:
    """Serve the app on ``host:port`` until Ctrl+C (imports Solara only when called)."""
    # deferred: the server loads solara and uvicorn; importing normsim.app stays light
    from normsim.app.server import serve as _serve

    _serve(host=host, port=port, preset=preset)
