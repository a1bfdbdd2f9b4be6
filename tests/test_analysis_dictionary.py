"""normsim.analysis.dictionary on its own: a column's words from each of the declarations it
draws on (in that order), the suffixes the summaries add, and ``write_table``'s three files
(CSV, Parquet with each column described in its schema, and the folder's columns.md)."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from normsim.analysis.dictionary import describe, dictionary, write_table

FINAL = "final compliance (share of occasions that respect the norm, last 52 weeks)"
CENTRALISATION = "centralisation of the group (0–1)"  # group.centralisation's label and range


@pytest.mark.parametrize("column, words", [
    ("replicate", "replicate number within the condition (its seed is the manifest's "
                  "seeds[replicate])"),                          # the dictionary's own
    ("final_compliance", FINAL),                                 # an outcome
    ("group_centralisation", f"parameter: {CENTRALISATION}"),    # a parameter
    ("drawn_group_centralisation", f"drawn from the posterior: {CENTRALISATION}"),
    ("compliance_rate", "share of occasions that respect the norm"),  # a recorded column
    ("final_compliance_ci_low", f"lower end of the 95% interval of the mean of: {FINAL}"),
    ("final_compliance_n", f"runs with a value of: {FINAL}"),
    ("group_centralisation_max", f"highest over runs of: parameter: {CENTRALISATION}"),
    ("share_ci_low", "lower end of the share's 95% Wilson interval"),  # whole name first
    ("acceptance_tactical", "tactical commanders' mean acceptance of the norm (0–1)"),
    ("knowledge_operational", "operational commanders' mean knowledge of the norm (0–1)"),
    ("something_new", "something new"),                         # nothing declared: its name
])
def test_a_column_is_described_from_its_declaration(column, words):
    assert describe(column) == words


def test_the_dictionary_describes_every_column_in_order():
    table = pd.DataFrame(columns=["condition", "final_compliance", 3])
    assert list(dictionary(table).items()) == [
        ("condition", describe("condition")), ("final_compliance", FINAL), ("3", "3")]


def test_write_table_writes_csv_parquet_with_descriptions_and_columns_md(tmp_path):
    table = pd.DataFrame({"final_compliance": [0.5, 0.75], "replicates": [3, 4]},
                         index=pd.Index([0, 1], name="condition"))
    path = write_table(tmp_path, "effects", table, index=True)
    assert path == tmp_path / "effects.csv"
    assert (tmp_path / "effects.csv").read_text().splitlines() == [
        "condition,final_compliance,replicates", "0,0.5,3", "1,0.75,4"]
    schema = pq.read_schema(tmp_path / "effects.parquet")
    assert schema.names == ["condition", "final_compliance", "replicates"]
    assert schema.field("final_compliance").metadata == {b"description": FINAL.encode()}
    assert schema.field("replicates").metadata == {b"description": b"runs of the condition"}
    back = pd.read_parquet(tmp_path / "effects.parquet")
    assert back["final_compliance"].tolist() == [0.5, 0.75]
    md = (tmp_path / "columns.md").read_text(encoding="utf-8")
    assert md.startswith("# Columns of the tables in this folder")
    assert "## effects.csv\n" in md and f"| `final_compliance` | {FINAL} |" in md
    assert sorted(p.name for p in tmp_path.iterdir()) == ["columns.md", "effects.csv",
                                                         "effects.parquet"]  # no temp left


def test_columns_md_keeps_every_table_once_in_name_order(tmp_path):
    write_table(tmp_path, "stages", pd.DataFrame({"share": [0.5]}))
    write_table(tmp_path, "effects", pd.DataFrame({"replicates": [2]}))
    write_table(tmp_path, "stages", pd.DataFrame({"groups": [4]}))  # rewritten: replaced
    md = (tmp_path / "columns.md").read_text(encoding="utf-8")
    assert md.count("## effects.csv") == 1 and md.count("## stages.csv") == 1
    assert md.index("## effects.csv") < md.index("## stages.csv")
    assert "| `replicates` |" in md and "| `groups` |" in md
    assert "| `share` |" not in md  # the stages table no longer has it
