"""Engagers as plug-ins: every module in this package that registers a kind is found here.

``KINDS`` maps a kind (``"dialogue"``) to its :class:`normsim.engagers.base.Engager` subclass;
a new kind is one module in this folder (or a package registering the entry point group
``normsim.engagers``), found the way SALib finds its samplers: by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

from normsim.engagers.base import (CAPABILITIES, KINDS, AnyEngagerSettings, Engagement, Engager,
                                   EngagerSettings, register)


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    for ep in sorted(entry_points(group="normsim.engagers"), key=lambda e: e.name):
        ep.load()


_discover()

__all__ = ["CAPABILITIES", "KINDS", "AnyEngagerSettings", "Engager", "EngagerSettings",
           "Engagement", "register"]
