"""Thin adapters for the tools researchers drive normsim with: EMA Workbench and SALib."""
