"""The shipped scenarios: installed as the package data ``normsim.scenarios`` (see setup.py)."""
