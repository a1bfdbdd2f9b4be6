"""A visitor's background thread: steps, play and redraws run here, never on the connection.

Solara handles each browser connection's messages one after the other in one thread. Work done
in a click handler holds that thread, so clicks pile up behind it and a long queue can cost the
connection (and with it the run). Here a click only leaves a request: while a step is under way,
one more Step waits its turn and any further clicks join that one instead of queueing behind it
(so a hundred quick clicks make a few steps, not a hundred); the worker plays while ``playing``
is set and redraws when asked. After each piece of work it calls ``done`` (the page then shows
the new picture).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Worker:
    """One thread that steps, plays and redraws for one visitor.

    ``step(weeks)`` advances the run (under the session's lock) and returns whether it moved;
    ``draw()`` builds the picture of the current state; ``done()`` tells the page.
    """

    def __init__(self, step: Callable[[int], bool], draw: Callable[[], None],
                 done: Callable[[], None]):
        self._step, self._draw, self._done = step, draw, done
        self._wake = threading.Condition()
        self._steps_asked = 0  # weeks of the one step request waiting its turn (0: none)
        self._redraw = False
        self.playing = False
        self.play_weeks = 4
        self.pause_seconds = 0.3  # between ticks while playing (the play speed)
        self.busy = False  # a step or tick is under way
        self.coalesced = 0  # step requests merged into one already waiting (or into play)
        self.completed = 0  # step requests carried out
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="normsim-worker", daemon=True)
        self._thread.start()

    # -- requests (called from the connection's thread; they return at once) ------------------
    def request_step(self, weeks: int) -> bool:
        """Ask for one step of ``weeks``; False when merged into one already waiting."""
        with self._wake:
            if self._steps_asked or self.playing:
                self.coalesced += 1
                return False
            self._steps_asked = weeks
            self._wake.notify()
            return True

    def play(self, playing: bool) -> None:
        with self._wake:
            self.playing = playing
            self._wake.notify()

    def redraw(self) -> None:
        with self._wake:
            self._redraw = True
            self._wake.notify()

    def close(self, wait: bool = False) -> None:
        """Stop the thread after the piece of work under way, if any (``wait``: until then)."""
        with self._wake:
            self._closed = True
            self.playing = False
            self._wake.notify()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join(timeout=30)

    def idle(self) -> bool:
        with self._wake:
            return not (self.busy or self._steps_asked or self.playing or self._redraw)

    # -- the thread ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._wake:
                while not (self._closed or self._steps_asked or self.playing or self._redraw):
                    self._wake.wait()
                if self._closed:
                    return
                weeks = self._steps_asked or (self.play_weeks if self.playing else 0)
                stepping_once = bool(self._steps_asked)
                self._steps_asked, self._redraw = 0, False
                self.busy = bool(weeks)
            try:
                moved = self._step(weeks) if weeks else False
                if weeks and not moved:  # the run is over: stop playing
                    self.playing = False
                self._draw()
            except Exception:  # a bug must not end the visitor's thread; the log says what
                log.exception("the app's worker failed")
                self.playing = False
            with self._wake:
                self.completed += stepping_once
                self.busy = False
            self._done()
            if self.playing and not stepping_once:
                time.sleep(self.pause_seconds)
