"""What a visitor takes home: the charts (PNG), the run's table (CSV) and its story (text).

Each is made when its button is pressed, from the library's own records and events of the run
as it stands; figures are drawn afresh (not the live ones the worker redraws) at print size.
"""

from __future__ import annotations

import io
import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import imread, imsave

from normsim.app import live, charts, address
from normsim.app.controls import show
from normsim.app.picture import chart_data, group_charts, population_charts, story


def file_stem(session) -> str:
    return f"normsim-{session.preset}-seed{session.seed}-week{session.week}".replace(" ", "_")


def run_csv(session) -> str:
    """The run's tidy table, one row per week and group, as ``normsim run`` writes it."""
    with session.lock:
        records = session.run.model.records()
    return records.to_csv(index=False)


def context(session, t) -> list[str]:
    """What a saved file needs to be read alone: the scenario, its seed and week, the settings
    changed from the preset's, and the address that replays the run (normsim.app.address)."""
    recipe = session.recipe()
    with session.lock:
        title = t.scenario(session.preset, session.run.model.settings.title)[0]
    head = t._("{title}: seed {seed}, week {week} of {weeks}").format(
        title=title, seed=recipe.seed, week=recipe.week, weeks=session.weeks)
    changed = [f"{t.label(k)} = {show(k, v, t)}" for k, v in recipe.start.items()]
    changed += [t._("from week {week}: {changes}").format(week=w, changes=", ".join(
        f"{t.label(k)} = {show(k, v, t)}" for k, v in values.items()))
        for w, values in recipe.changes]
    settings = t._("Settings: preset “{preset}”").format(preset=recipe.preset) + (
        "; " + "; ".join(changed) if changed else "")
    replay = t._("To see it again in the app: ?{query}").format(
        query=address.write(recipe, t.language))
    return [head, settings, replay]


def story_text(session, t) -> str:
    """The context (scenario, seed, week, settings), the summary when the run is over, and every
    key event in words, oldest first, with each fall of the score card."""
    with session.lock:
        events, records = session.run.model.events(), session.run.model.records()
        population = bool(session.run.model.settings.population)
    summary = list(session.view.summary) if session.view.week == session.week else []
    return "\n".join([*context(session, t), "", *summary, *([""] if summary else []),
                      *story(t, events, None if population else records)]) + "\n"


def charts_png(session, t) -> bytes:
    """The run's time charts, one under the other, in one PNG, under a caption that says which
    run it is (also in the PNG's text fields, for a machine)."""
    with session.lock:
        records, events = session.run.model.records(), session.run.model.events()
        population = bool(session.run.model.settings.population)
    norms = tuple(live.norms_of(records))
    data = chart_data(session, records, events, t, population)
    builders = (population_charts(t, session.weeks, norms, live.observed_for(session.preset))
                if population else group_charts(t, session.weeks, norms))
    images = [imread(io.BytesIO(charts.Live(build).png(*data[name])))
              for name, build in builders.items()]
    width = max(im.shape[1] for im in images)
    lines = context(session, t)[:2]
    images.insert(0, caption(lines, width, images[0].shape[2]))
    padded = [np.pad(im, ((0, 0), (0, width - im.shape[1]), (0, 0)), constant_values=1.0)
              for im in images]
    out = io.BytesIO()
    imsave(out, np.vstack(padded), format="png",
           metadata={"Title": lines[0], "Description": "\n".join(context(session, t))})
    return out.getvalue()


def caption(lines: list[str], width: int, channels: int, dpi: int = 100) -> np.ndarray:
    """The lines as an image ``width`` pixels wide (wrapped), to head the saved charts."""
    wrapped = [w for line in lines for w in textwrap.wrap(line, max(40, width // 11))]
    fig = Figure(figsize=(width / dpi, (0.3 + 0.3 * len(wrapped))), dpi=dpi)
    fig.text(0.02, 0.5, "\n".join(wrapped), va="center", fontsize=18)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    buf.seek(0)
    image = imread(buf)[:, :width, :channels]
    return image
