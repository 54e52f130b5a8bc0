"""Packaging: the project's top-level folders install as one import namespace `ipsa`.

Every package below them is found here, so a new jurisdiction's folders (rules/kr/, knowledge_base/kr/, features/kr/)
ship without editing a list; the metadata lives in pyproject.toml. The compiled waterfall (engine/risk/_kernel.pyx) is
built here by Cython; floating-point contraction is off so that each path's figures are the NumPy waterfall's to the
last bit on every platform (a fused multiply-add rounds once where NumPy rounds twice).
"""

from Cython.Build import cythonize
from setuptools import Extension, find_namespace_packages, setup

ROOTS = ("engine", "rules", "knowledge_base", "reports", "features", "web", "examples")

found = find_namespace_packages(include=[*ROOTS, *(f"{root}.*" for root in ROOTS)], exclude=["*__pycache__*"])
setup(
    packages=[f"ipsa.{name}" for name in found],
    package_dir={f"ipsa.{root}": root for root in ROOTS},
    package_data={"": ["*.yaml", "*.feature", "*.j2", "*.css", "*.js", "*.mako", "*.csv", "*.po"]},
    exclude_package_data={"": ["*.c"]},  # the C that Cython writes for the kernel is built, not shipped
    ext_modules=cythonize([Extension("ipsa.engine.risk._kernel", ["engine/risk/_kernel.pyx"],
                                     extra_compile_args=["-O2", "-ffp-contract=off"])]),
)
