"""SALib over normsim: a problem built from the schema, and sampled rows turned into parameters.

::

    import numpy as np
    from SALib.analyze import sobol as sobol_analysis
    from SALib.sample import sobol
    import normsim
    from normsim.simulation.outcomes import outcomes

    problem = normsim.salib_problem(["group_centralisation", ("persuader_contact_interval", 1, 16)])
    X = sobol.sample(problem, 64, calc_second_order=False)      # N (D + 2) rows
    Y = np.array([outcomes(normsim.run(problem.params(row), seed=1, steps=104))["final_compliance"]
                  for row in X])
    indices = sobol_analysis.analyze(problem, Y, calc_second_order=False)

Samplers give floats; a whole-number parameter (``persuader_contact_interval``) gets the
nearest whole number from :meth:`Problem.params` (halves to even), and only there: ``run`` itself
refuses 7.13 for it. Bounds are the schema's unless a narrower range is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from normsim.settings import arguments
from normsim.errors import UserError
from normsim.settings.ranges import Range, Spec, parameter_range
from normsim.settings.scenario import ScenarioError


class Problem(dict):
    """A SALib problem (``num_vars``, ``names``, ``bounds``) that knows each parameter's type."""

    def __init__(self, ranges: Sequence[Range]):
        super().__init__(num_vars=len(ranges), names=[r.name for r in ranges],
                         bounds=[[r.low, r.high] for r in ranges])
        self.ranges = tuple(ranges)

    def params(self, row: Sequence[float]) -> dict[str, Any]:
        """One sampled row as ``run``'s parameters: whole numbers rounded, the rest floats."""
        if len(row) != len(self.ranges):
            raise UserError(f"a row of {len(row)} values for {len(self.ranges)} parameters "
                            f"({', '.join(r.name for r in self.ranges)}): give one value each")
        return {r.name: r.cast(v) for r, v in zip(self.ranges, row)}

    def rows(self, samples: Iterable[Sequence[float]]) -> list[dict[str, Any]]:
        """Every row of a sample matrix as parameters (see :meth:`params`)."""
        return [self.params(row) for row in samples]


def salib_problem(names: Iterable[Spec]) -> Problem:
    """The SALib problem of these parameters (flat or dotted names, alone or as
    ``(name, low, high)`` to narrow the schema's range); ScenarioError for a switch or a choice
    (SALib samples numbers: vary those in a factorial design) or a name given twice, and
    :class:`normsim.errors.UserError` (of which ScenarioError is a kind) for anything that is not
    a list of names and tuples with finite number bounds."""
    ranges = [parameter_range(spec) for spec in arguments.specs(names, "names")]
    for r in ranges:
        if r.kind not in ("int", "float"):
            raise ScenarioError(f"{r.name} takes {' or '.join(map(str, r.choices))}, which SALib "
                                "cannot sample: fix it, or vary it in a factorial design")
    seen = [r.name for r in ranges]
    twice = sorted({n for n in seen if seen.count(n) > 1})
    if twice:
        raise ScenarioError(f"{', '.join(twice)} named more than once")
    if not ranges:
        raise ScenarioError("give at least one parameter to sample")
    return Problem(ranges)
