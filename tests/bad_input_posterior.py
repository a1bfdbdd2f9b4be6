"""Bad posterior designs (normsim.sweeps.posterior): a posterior file that is missing, garbled,
without weights or with bad values; a parameter the experiment's scenario lacks, that is not a
model parameter, or that the file also fixes; a [posterior] table with bad fields; retention
without a twin. One message each, naming the file, the field, the value and what is allowed;
expected words are written by hand."""

from __future__ import annotations

from bad_input_cases import exp_case, experiment

GOOD_POSTERIOR = "dialogue.persuasion_rate,dialogue.trust_rate,distance,index,weight\n" \
                 "0.1,0.2,0.3,0,0.5\n0.2,0.1,0.2,1,0.5\n"


def posterior_case(id, words, posterior: str | bytes | None, table='file = "p.csv"', fixed="",
                   top="", *extra_args):
    text = experiment(tail=f"[posterior]\n{table}\n", fixed=fixed, top=top)
    files = {} if posterior is None else {"p.csv": posterior}
    return exp_case(id, words, text, *extra_args, more_files=files)


POSTERIORS = [
    posterior_case("posterior-missing-file", ["posterior.file", "'p.csv'", "no such file"], None),
    posterior_case("posterior-not-utf8", ["posterior.file", "not UTF-8"],
                   b"dialogue.persuasion_rate,weight\n0.1,\xff\xfe\n"),
    posterior_case("posterior-not-a-table", ["posterior.file", "not a readable CSV"],
                   'a,b\n1,2,3,4\n"unclosed\n'),
    posterior_case("posterior-empty", ["posterior.file", "no particles"],
                   "dialogue.persuasion_rate,weight\n"),
    posterior_case("posterior-no-weight", ["posterior.file", "'weight' column",
                                           "dialogue.persuasion_rate"],
                   "dialogue.persuasion_rate\n0.1\n"),
    posterior_case("posterior-negative-weight", ["posterior.file", "weight = ", "-1",
                                                 "row 3", "≥ 0"],
                   "dialogue.persuasion_rate,weight\n0.1,1\n0.2,-1\n"),
    posterior_case("posterior-no-weight-at-all", ["posterior.file", "do not all vanish"],
                   "dialogue.persuasion_rate,weight\n0.1,0\n0.2,0\n"),
    posterior_case("posterior-value-not-a-number", ["dialogue.persuasion_rate", "'lots'",
                                                    "row 2", "not a number"],
                   "dialogue.persuasion_rate,weight\nlots,1\n"),
    posterior_case("posterior-value-out-of-range", ["dialogue.persuasion_rate", "1.5",
                                                    "a number from 0 to 1"],
                   "dialogue.persuasion_rate,weight\n0.1,1\n1.5,1\n"),
    posterior_case("posterior-kind-the-scenario-lacks", ["'deed.persuasion_rate'", "deed engager",
                                                         "baseline"],
                   "deed.persuasion_rate,weight\n0.1,1\n"),
    posterior_case("posterior-population-groups", ["'population.groups'", "population file",
                                                   "posterior.parameters"],
                   "population.groups,weight\n100,1\n"),
    posterior_case("posterior-not-a-parameter", ["'dialogue.charm'", "not a model parameter"],
                   "dialogue.charm,weight\n0.1,1\n"),
    posterior_case("posterior-parameter-also-fixed", ["fixed.dialogue.trust_rate",
                                                      "'dialogue.trust_rate'", "same parameter"],
                   GOOD_POSTERIOR, 'file = "p.csv"', '"dialogue.trust_rate" = 0.3'),
    posterior_case("posterior-parameters-not-in-file", ["posterior.parameters",
                                                        "'deed.trust_rate'",
                                                        "dialogue.persuasion_rate"],
                   GOOD_POSTERIOR, 'file = "p.csv"\nparameters = ["deed.trust_rate"]'),
    posterior_case("posterior-draws-0", ["posterior.draws", "= 0"], GOOD_POSTERIOR,
                   'file = "p.csv"\ndraws = 0'),
    posterior_case("posterior-unknown-field", ["posterior.weights", "Extra inputs"],
                   GOOD_POSTERIOR, 'file = "p.csv"\nweights = 3'),
    exp_case("posterior-not-a-table-in-file", ["posterior", "5", "--posterior"],
             experiment(top="posterior = 5"), "--posterior", "{d}/p.csv",
             more_files={"p.csv": GOOD_POSTERIOR}),
    exp_case("posterior-option-no-file", ["posterior.file", "{d}/none.csv", "(--posterior)",
                                         "no such file"],
             experiment(), "--posterior", "{d}/none.csv"),
    exp_case("retention-without-twin", ["retention", "counterfactual = true"],
             experiment(top="retention = true\ncounterfactual = false")),
]
