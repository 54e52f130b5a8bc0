"""The waterfall's cash-flow log as CSV or XLSX: one row per period, one column per amount, as an analyst checks a
model line by line. A first row of column kinds says which columns are sources of cash, uses of it, or states."""

from __future__ import annotations

import csv
import io

from ipsa.engine.assessment import CashFlows


def _header(flows: CashFlows) -> tuple[list[str], list[str]]:
    return ["period", "period end"] + flows.columns, ["", "kind"] + [flows.kinds[c] for c in flows.columns]


def to_csv(flows: CashFlows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header, kinds = _header(flows)
    writer.writerow(header)
    writer.writerow(kinds)
    for t, (end, row) in enumerate(zip(flows.period_ends, flows.rows), start=1):
        writer.writerow([t, end.isoformat()] + ["" if v is None else repr(round(v, 6)) for v in row])
    return out.getvalue()


def to_xlsx(flows: CashFlows, currency: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"cash flows ({flows.path})"[:31]
    header, kinds = _header(flows)
    sheet.append(header)
    sheet.append(kinds)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for t, (end, row) in enumerate(zip(flows.period_ends, flows.rows), start=1):
        sheet.append([t, end] + list(row))
    for row in sheet.iter_rows(min_row=3, min_col=3):
        for cell in row:
            column = header[cell.column - 1]
            cell.number_format = "0.00" if column == "coverage ratio" else ("0" if column.startswith("covenant") else "#,##0.00")
    for row in sheet.iter_rows(min_row=3, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "C3"
    notes = book.create_sheet("about")
    notes.append(["path", flows.path])
    notes.append(["currency", currency])
    notes.append(["sources equal uses in every period; largest difference", flows.check])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def covenant_breaches(flows: CashFlows) -> list[tuple[str, str | None]]:
    """Each covenant and the end of the first period in which it stood breached (None: never)."""
    out = []
    for column in flows.columns:
        if column.startswith("covenant ") and column.endswith(" breached"):
            k = flows.columns.index(column)
            first = next((end for end, row in zip(flows.period_ends, flows.rows) if row[k] > 0.5), None)
            out.append((column[len("covenant "):-len(" breached")], first.isoformat() if first else None))
    return out


def covenant_table(flows: CashFlows, currency: str) -> str:
    """Markdown: every covenant test by period (measure, and whether the covenant stands breached), then the first
    breach of each."""
    names = [name for name, _ in covenant_breaches(flows)]
    index = {c: i for i, c in enumerate(flows.columns)}
    header = ["Period end", f"Collections ({currency})", "Coverage"] + [f"Covenant {n}" for n in names]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for end, row in zip(flows.period_ends, flows.rows):
        coverage = row[index["coverage ratio"]]
        cells = [end.isoformat(), f"{row[index['collections']]:,.0f}", "—" if coverage is None else f"{coverage:.2f}x"]
        for n in names:
            measure = row[index[f"covenant {n} measure"]]
            flag = "BREACHED" if row[index[f"covenant {n} breached"]] > 0.5 else "met"
            cells.append(f"{'—' if measure is None else f'{measure:.2f}'} ({flag})")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for name, first in covenant_breaches(flows):
        lines.append(f"- Covenant {name}: " + (f"first breached in the period ending {first}." if first else "never breached."))
    if not names:
        lines.append("- The deal has no covenant tests.")
    lines.append(f"- Sources of cash equal its uses in every period (largest difference {flows.check:,.2f}).")
    return "\n".join(lines) + "\n"
