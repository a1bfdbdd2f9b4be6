"""The shipped experiments: installed as the package data ``normsim.experiments`` (see setup.py)."""
