"""What a visitor takes home: the charts (PNG), the run's table (CSV) and its story (text).

Each is made when its button is pressed, from the library's own records and events of the run
as it stands; figures are drawn afresh (not the live ones the worker redraws) at print size.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.image import imread, imsave

from normsim.app import live
from normsim.app import charts
from normsim.app.picture import chart_data, group_charts, population_charts, story


def file_stem(session) -> str:
    return f"normsim-{session.preset}-seed{session.seed}-week{session.week}".replace(" ", "_")


def run_csv(session) -> str:
    """The run's tidy table, one row per week and group, as ``normsim run`` writes it."""
    with session.lock:
        records = session.run.model.records()
    return records.to_csv(index=False)


def story_text(session, t) -> str:
    """A heading (scenario, seed, week) and every key event in words, oldest first."""
    with session.lock:
        title = session.run.model.settings.title
        events, week = session.run.model.events(), session.week
    head = t._("{title}: seed {seed}, week {week} of {weeks}").format(
        title=title, seed=session.seed, week=week, weeks=session.weeks)
    return "\n".join([head, "", *story(t, events)]) + "\n"


def charts_png(session, t) -> bytes:
    """The run's time charts, one under the other, in one PNG."""
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
    padded = [np.pad(im, ((0, 0), (0, width - im.shape[1]), (0, 0)), constant_values=1.0)
              for im in images]
    out = io.BytesIO()
    imsave(out, np.vstack(padded), format="png")
    return out.getvalue()
