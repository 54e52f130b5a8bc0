"""The bundled example deals, installed with ipsa (`ipsa serve --demo` opens its demo matter with one)."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def example(name: str) -> Path:
    """The bundled example file `name` (for instance `cn_licence_special_plan.yaml`)."""
    return FOLDER / name
