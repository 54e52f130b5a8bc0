"""Runs every scenario in features/ (the legal requirements) against the engine."""

from pytest_bdd import scenarios

scenarios("cn", "vn", "us", "jp", "eu", "gb", "advisor")
