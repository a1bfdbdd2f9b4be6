"""The package list, which pyproject.toml cannot compute: normsim's packages, found on disk, plus
the shipped scenarios and experiments as the data packages normsim.scenarios and
normsim.experiments (pyproject.toml maps them to the top-level folders)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["normsim", "normsim.*"]),
                "normsim.scenarios", "normsim.experiments"])
