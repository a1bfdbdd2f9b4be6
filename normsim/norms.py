"""The norms a group can be engaged on, as data: what each governs and who decides it.

Seed 002's ICRC works on IHL as a whole; the engagers of seeds 001, 003 and 004 ask a group to
commit to one specific norm (Geneva Call's deeds of commitment: anti-personnel mines first, then
children and sexual violence; UN action plans on children). Norms differ in who decides whether
they are kept -- each fighter in his encounters with civilians, or the command as a policy its
units carry out -- in what keeping them costs the group militarily, and in how visible a
violation is. A scenario lists the norms in play (``norms = ["civilians", "mines"]``); the first
is the one outcomes report by default.

A norm is registered with :func:`register` by its key; its settings section (declared with
:func:`normsim.params.P`) is a table named after the key in a scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass

FIGHTERS, COMMAND = "fighters", "command"


@dataclass(frozen=True)
class Norm:
    key: str  #: the name in scenario files ("civilians")
    title: str  #: in words, after "respect" ("the protection of civilians")
    decided_by: str  #: FIGHTERS (each encounter) or COMMAND (a group policy units carry out)
    occasion: str  #: what one occasion to violate it is, in words
    source: str  #: where the norm and its description come from


NORMS: dict[str, Norm] = {}


def register(norm: Norm) -> Norm:
    if norm.key in NORMS:
        raise ValueError(f"norm {norm.key!r} is registered twice")
    NORMS[norm.key] = norm
    return norm


CIVILIANS = register(Norm(
    "civilians", "the protection of civilians", FIGHTERS,
    "an encounter of a fighter with civilians",
    "Seed 002: Common Article 3 and 'the obligations inherent to the protection of civilian "
    "populations'; the score card counts 'the violations of IHL ... committed by or within the "
    "group'."))


def keys() -> tuple[str, ...]:
    return tuple(NORMS)


def get(key: str) -> Norm:
    return NORMS[key]
