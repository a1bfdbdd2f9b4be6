"""Start the workshop app: check the input, keep everything on this machine, serve the page.

Offline by design: Solara's JavaScript and CSS come from the ``solara-assets`` package in the
environment (served by Solara's own asset route), its CDN is pointed at a closed port on this
machine so that a missing file fails at once instead of being fetched from the internet, and
Solara's telemetry is off. Charts are PNGs drawn on the server, so no charting library is
loaded in the browser.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import threading
import time
import warnings

from normsim.settings.scenario import load

PAGE = "normsim.app.page"
CLOSED_PORT = "http://127.0.0.1:9/"  # the discard port: nothing listens, a fetch fails at once

#: Solara settings for an offline, private, quiet server (read when Solara is imported)
ENVIRONMENT = {
    "SOLARA_APP": PAGE,
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_ASSETS_PROXY": "true",
    "SOLARA_ASSETS_CDN": CLOSED_PORT,
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "false",
    "SOLARA_THEME_SHOW_BANNER": "false",
    "SOLARA_THEME_TITLE": "normsim",
    "SOLARA_KERNEL_CULL_TIMEOUT": "2h",  # a closed tab's run is kept for 2 h (not 24 h), then freed
}


def check_port(host: str, port: int) -> None:
    """Raise OSError with a message in words when ``host:port`` cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise OSError(errno.EADDRNOTAVAIL,
                      f"cannot listen on host '{host}': {err.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: TIME_WAIT is free
        try:
            sock.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise OSError(err.errno, f"port {port} on {host} is already in use (another "
                              "'normsim app'?); choose a free one with --port") from None
            raise OSError(err.errno, f"cannot listen on {host}:{port}: {err.strerror}") from None


def serve(host: str = "127.0.0.1", port: int = 8765, preset: str = "baseline") -> None:
    """Serve the app until Ctrl+C. ScenarioError for a bad preset, OSError for a bad address."""
    load(preset)  # a bad preset name ends here, with the list of shipped ones
    check_port(host, port)
    os.environ.update(ENVIRONMENT)
    os.environ["NORMSIM_APP_PRESET"] = preset
    started = time.perf_counter()

    # Solara warns about cookies on plain http; on 127.0.0.1 that is expected, not news
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    # deferred: solara and uvicorn are heavy, and solara reads the environment set above
    import uvicorn
    import solara.server.settings as settings

    settings.main.mode = "production"
    settings.telemetry.mixpanel_enable = False
    # deferred: solara reads the environment set above
    from solara.server.starlette import app

    # deferred: the page (matplotlib, the model) loads once solara is set up, before the first visitor
    import normsim.app.page  # noqa: F401  (matplotlib, the model): the first visitor need not wait

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    if host in ("0.0.0.0", "::"):
        url = f"http://127.0.0.1:{port}/ (or this computer's address, from other computers)"

    def announce():
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            print(f"normsim app: open {url} in a browser (ready in "
                  f"{time.perf_counter() - started:.1f} s; Ctrl+C stops it)", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then passes Ctrl+C on
        pass
    except SystemExit:  # uvicorn exits when it cannot bind after all
        if server.started:
            raise
    if not server.started:  # another program took the port between the check and the start
        raise OSError(errno.EADDRINUSE, f"could not listen on {host}:{port} (in use?); "
                      "choose a free port with --port")
    print("normsim app: stopped", flush=True)


if __name__ == "__main__":  # python -m normsim.app.server [port]
    serve(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
