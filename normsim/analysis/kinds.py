"""The kinds of figure a sweep has, with what each shows: plain data, light to import (the
CLI's help lists them; :mod:`normsim.analysis.report` draws them)."""

#: every figure, by the name ``--kind`` takes, with what it shows
KINDS = {
    "trajectories": "Compliance (or --outcome, a recorded column) over time: for each condition "
                    "(or group of conditions) the mean over runs with a 95% band, the same runs "
                    "without engagement (their twins) dotted, the weeks of engagement shaded; "
                    "more series than colours are split into panels.",
    "effect": "Final compliance (or --outcome) and weeks until compliance reaches the threshold, "
              "by factor level: means over runs with 95% confidence intervals.",
    "engagement": "What engagement changed against each run's twin without engagement (same "
                  "seed, no engager), in percentage points: while engaged and five years after "
                  "it ended (else in the final year), per condition: means over runs with 95% "
                  "intervals, one marker per level of the second factor, a line at zero.",
    "heatmap": "The experiment's outcome (or --outcome) for each combination of two factors (in "
               "sampled designs, the two most influential, in quartiles): mean over runs [95% "
               "CI]; a signed effect on a diverging scale centred on zero.",
    "integration": "The integration factors (doctrine, training, equipment, internal sanctions) "
                   "over time: means with 95% bands.",
    "setbacks": "How a setback in one integration factor propagates to the others: the mean "
                "change of each factor in the weeks around setbacks, with 95% bands.",
    "stages": "Score-card stages over time: the share of runs at each stage.",
    "harm": "Violations per 100 fighters per week and harm to communities over time: means "
            "with 95% bands.",
    "sensitivity": "Sensitivity indices of final compliance with 95% intervals: Sobol first- "
                   "and total-order, or Morris mu* and sigma.",
    "discovery": "Scenario discovery: which combinations of conditions lead to high final "
                 "compliance, as rules with their coverage and density.",
}
