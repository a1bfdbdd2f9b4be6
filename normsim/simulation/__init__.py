"""One run: the model that builds the world from a scenario and steps its weeks, what it records,
the outcomes measured against its twin without engagement, and ``run``, the entry point every
client drives."""
