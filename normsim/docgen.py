"""Generate the parameter tables of docs/ODD.md from the schema, so the two cannot disagree.

    python -m normsim.docgen          # print the tables
    python -m normsim.docgen --write  # replace them in docs/ODD.md between the markers
"""

from __future__ import annotations

import sys
from pathlib import Path

from normsim.scenario import PARAMETERS, allowed
from normsim.schema import RUN_ONLY, SECTIONS

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"
TITLES = {"run": "Run", "environment": "Environment (success-factor bundle: environment)",
          "group": "Armed group (bundle: armed group)", "persuader": "Persuader (bundle: persuader)",
          "community": "Communities", "integration": "Integration cycle",
          "fighters": "Fighters' conduct", "hypotheses": "Hypotheses H1–H6 (switches and strengths)"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameter_tables() -> str:
    """Markdown: one table per section with key, keyword, default, range, unit, meaning, source."""
    flat_of = {v: k for k, v in PARAMETERS.items()}
    out = []
    for section, cls in SECTIONS.items():
        out += [f"#### {TITLES[section]}", "",
                "| key | keyword | default | allowed | unit | meaning | source or assumption |",
                "|---|---|---|---|---|---|---|"]
        for field, info in cls.model_fields.items():
            extra = info.json_schema_extra or {}
            keyword = flat_of.get((section, field), "—" if field in RUN_ONLY else "")
            default = info.default
            default = str(default).lower() if isinstance(default, bool) else default
            out.append("| " + " | ".join(_cell(x) for x in (
                f"`{section}.{field}`", f"`{keyword}`" if keyword != "—" else "— (run only)",
                f"`{default}`", allowed(section, field), extra.get("unit", ""),
                info.description, extra.get("source", ""))) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(path: Path = ODD) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n{parameter_tables()}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(parameter_tables())
