"""What a user gave that ipsa cannot use: each issue names the file (or option), line and field, and why.

Every layer raises these for bad input (the deal's loading, a changes file, a firm's templates, the command's
options), and the command line prints each as `error: file:line: field: message` with exit 2; the workspace shows
them in the page. They depend on nothing else of ipsa, so that the reports can raise them too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputIssue:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DealInputError(Exception):
    """The input cannot be used (a deal, a changes file, a template, an option); `issues` say where and why."""

    def __init__(self, issues: list[InputIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
