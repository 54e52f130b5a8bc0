"""Gherkin features: the legal requirements, read by pytest-bdd and counted by `ipsa rules`."""
