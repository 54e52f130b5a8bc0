"""Packaging: the project's top-level folders install as one import namespace `ipsa`.

Every package below them is found here, so a new jurisdiction's folders (rules/kr/, knowledge_base/kr/, features/kr/)
ship without editing a list; the metadata lives in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

ROOTS = ("engine", "rules", "knowledge_base", "reports", "features", "web", "examples")

found = find_namespace_packages(include=[*ROOTS, *(f"{root}.*" for root in ROOTS)], exclude=["*__pycache__*"])
setup(
    packages=[f"ipsa.{name}" for name in found],
    package_dir={f"ipsa.{root}": root for root in ROOTS},
    package_data={"": ["*.yaml", "*.feature", "*.j2", "*.css", "*.js", "*.mako", "*.csv", "*.po"]},
)
