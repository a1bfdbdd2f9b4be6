"""Analysis of model output: summaries, figures and reports (data flows one way into here)."""
