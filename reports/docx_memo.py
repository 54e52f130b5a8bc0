"""The memo as a Word document (python-docx), from the same assessment, advice and charts as the HTML.

A firm's branded DOCX can be given as the starting document: its styles, header and footer are kept and the memo
is appended to its body. Text from the deal file is inserted as text, never interpreted. East Asian text is given
an East Asian font so that Chinese titles display in Word.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ipsa.engine.assessment import Assessment
from ipsa.engine.rulekit import AREAS

EAST_ASIAN_FONT = "Noto Serif CJK SC"


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = normal.font.name or "Georgia"
    normal.font.size = normal.font.size or Pt(10.5)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid" if "Table Grid" in [s.name for s in document.styles] else table.style
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)


def _picture(document, chart) -> None:
    document.add_picture(io.BytesIO(chart.png), width=Cm(16))
    caption = document.add_paragraph(f"{chart.title}. {chart.caption}")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in caption.runs:
        run.italic = True
        run.font.size = Pt(8.5)


def build(a: Assessment, *, advice=None, charts=(), generated: str, area_titles: dict, jurisdiction_names: dict,
          template: Path | None = None) -> bytes:
    document = Document(str(template)) if template else Document()
    _styles(document)
    d = a.deal
    document.add_heading("Memorandum", level=0)
    document.add_paragraph().add_run("Privileged and confidential — attorney work product").bold = True
    _table(document, ["", ""], [["To", d.client], ["From", d.counsel], ["Date", generated],
                                ["Law applied as of", a.as_of.isoformat()],
                                ["Re", f"{d.name}: legal assessment of the IP securitization structure"]])

    document.add_heading("Questions presented", level=1)
    for question in (f"Does the vehicle chosen ({d.spv_form_name}, {d.spv_jurisdiction}) exist and fit the transaction?",
                     "Is the asset pool bankruptcy-remote from the originator?",
                     "What tax arises on the transfer and on the royalties?",
                     "Which supervisory requirements apply, and are they met?"):
        document.add_paragraph(question, style="List Number")

    document.add_heading("Brief answers", level=1)
    fails = sum(1 for f in a.findings if f.status == "fail")
    risks = sum(1 for f in a.findings if f.status == "risk")
    document.add_paragraph(f"The assessment found {fails} requirement(s) not met and {risks} met but exposed.")
    _table(document, ["Jurisdiction", *(area_titles[x] for x in AREAS)],
           [[j, *(row[x] for x in AREAS)] for j, row in a.status_table.items()])
    for note in a.not_assessed:
        document.add_paragraph(f"Not assessed — {note}", style="List Bullet")

    document.add_heading("Facts as submitted", level=1)
    for line in (f"Deal: {d.name}; governing law of the transaction documents: {d.governing_law}; currency {d.currency}.",
                 f"Vehicle: {d.spv_name}, a {d.spv_form_name} in {d.spv_jurisdiction}.",
                 f"Pool: {d.pooled_patents} of {d.patents} patents ({', '.join(d.patent_offices) or 'none'}); "
                 f"{d.pooled_licences} of {d.licences} licences back the notes.",
                 "Parties: " + "; ".join(f"{p.name} ({', '.join(p.roles)}, {p.jurisdiction})" for p in d.parties) + "."):
        document.add_paragraph(line, style="List Bullet")
    _table(document, ["Class", f"Amount ({d.currency})", "Coupon", "Seniority", "Legal final", "Investors"],
           [[n.id, f"{n.amount:,.0f}", f"{n.coupon:.2%}", str(n.seniority), n.legal_final.isoformat(), n.investor_type] for n in d.notes])
    if a.assumptions:
        document.add_paragraph("Where the deal description is silent we have assumed:")
        for item in a.assumptions:
            document.add_paragraph(item, style="List Bullet")
    if charts:
        _picture(document, charts[0])

    document.add_heading("Discussion", level=1)
    for jurisdiction in a.jurisdictions_assessed:
        found = [f for f in a.findings if f.jurisdiction == jurisdiction]
        if not found:
            continue
        document.add_heading(jurisdiction_names.get(jurisdiction, jurisdiction), level=2)
        for area in AREAS:
            in_area = [f for f in found if f.area == area]
            if not in_area:
                continue
            document.add_heading(area_titles[area], level=3)
            for f in in_area:
                document.add_paragraph().add_run(f"{f.rule_id} — {f.status.upper()}").bold = True
                _labelled(document, "Issue.", f.requirement)
                cites = "; ".join(c.label + ("" if c.verified else " [unverified]") for c in f.citations)
                _labelled(document, "Rule.", f"{f.law} ({cites})")
                _labelled(document, "Application.", "")
                for step in f.because:
                    prefix = "Fact" if step.kind == "fact" else f"Therefore ({step.rule_id})"
                    document.add_paragraph(f"{prefix}: {step.text}", style="List Bullet")
                _labelled(document, "Conclusion.", f.conclusion)
                if f.remediation:
                    _labelled(document, "Remediation.", f.remediation)

    if a.risk is not None:
        _risk(document, a, charts[1:])
    if advice is not None:
        _advice(document, advice)

    document.add_heading("Assumptions and qualifications", level=1)
    for line in (f"This memorandum applies the law in force on {a.as_of.isoformat()} as recorded in ipsa's knowledge base; "
                 "citations marked [unverified] rest on secondary sources and must be checked against the official text before reliance.",
                 "The facts are those submitted in the deal description; unstated covenants are treated as absent.",
                 "Risk figures are Monte Carlo estimates under the stated assumptions, with their standard errors.",
                 "Jurisdictions the rule base does not yet cover are listed above as not assessed."):
        document.add_paragraph(line, style="List Bullet")

    document.add_heading("Table of authorities", level=1)
    _table(document, ["Instrument", "Article", "Original title", "Verified"],
           [[c.title_en, c.article or "—", c.title_original, "yes" if c.verified else "unverified"] for c in a.authorities()])

    document.add_heading("Appendix: rule trace", level=1)
    document.add_paragraph(f"ipsa {a.ipsa_version}; rule base {a.rule_base_version}; knowledge base {a.knowledge_base_digest[:12]}; "
                           f"input SHA-256 {a.input_sha256}.")
    _table(document, ["Step", "Rule", "Matched", "Produced"],
           [[str(t.step), t.rule_id, ", ".join(t.matched), ", ".join(t.produced)] for t in a.trace])
    buffer = io.BytesIO()
    document.core_properties.title = f"Memorandum — {d.name}"
    document.core_properties.author = d.counsel
    document.save(buffer)
    return buffer.getvalue()


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label + " ").italic = True
    paragraph.add_run(text)


def _risk(document, a: Assessment, charts) -> None:
    r = a.risk
    document.add_heading("Risk analysis", level=1)
    document.add_paragraph(f"The figures come from {r.paths:,} simulated paths (seed {r.seed}); they are estimates with the "
                           "standard errors shown.")
    document.add_heading("Screening", level=2)
    _table(document, ["Patent", "Office", "Score", "In the modelled pool", "Defects"],
           [[s.number, s.office, f"{s.score:.0f}", "kept at the client's request" if s.kept_by_user else ("no" if s.excluded else "yes"),
             "; ".join(str(x["reason"]) for x in s.defects) or "none"] for s in r.screening])
    for chart in charts:
        _picture(document, chart)
    document.add_heading("The notes", level=2)
    _table(document, ["Class", "Balance", "Default probability", "Expected loss", "Average life (years)", "Paid by a wrap"],
           [[c.id, f"{c.balance:,.0f}", f"{c.pd:.2%} ± {c.pd_se:.2%}", f"{c.expected_loss:.2%} ± {c.expected_loss_se:.2%}",
             f"{c.wal_years:.2f} ± {c.wal_se:.2f}", f"{c.wrap_reliance:.2%}"] for c in r.classes])
    if r.enhancement:
        e = r.enhancement
        document.add_paragraph(f"For a senior default probability of {e.target_senior_pd:.2%} ({e.target_source}), and ignoring any "
                               f"wrap, the senior class can be at most {e.max_senior_balance:,.0f}: {e.required_enhancement:.2%} "
                               f"enhancement against the present value of expected royalties; it has {e.current_enhancement:.2%}.")
    if r.stresses:
        document.add_heading("Stresses", level=2)
        _table(document, ["Stress", "Senior default probability", "Senior expected loss"],
               [[s.description, f"{s.senior_pd:.2%} ± {s.senior_pd_se:.2%}", f"{s.senior_expected_loss:.2%}"] for s in r.stresses])
    document.add_heading("Risk assumptions", level=2)
    for key, text in r.assumptions.items():
        document.add_paragraph(f"{key}: {text}", style="List Bullet")


def _advice(document, advice) -> None:
    document.add_heading("Recommended vehicle and remediation", level=1)
    for v in advice.vehicles:
        document.add_paragraph(("" if v.rank else "Not available: ") + v.explanation, style="List Bullet")
    for note in advice.not_evaluated:
        document.add_paragraph(f"Not evaluated: {note}", style="List Bullet")
    if advice.plan:
        document.add_paragraph("Each step below was applied to the deal and the deal assessed again; the cures are the result.")
        _table(document, ["Step", "Change", "Cures", "Creates", "Senior default probability"],
               [[str(n), p.title, "; ".join(p.diff.cured) or "—", "; ".join(p.diff.created) or "—",
                 f"{p.diff.before.senior_pd:.2%} → {p.diff.after.senior_pd:.2%}" if p.diff.before.senior_pd is not None else "—"]
                for n, p in enumerate(advice.plan, start=1)])
    if advice.insurance:
        i = advice.insurance.diff
        title = advice.insurance.title[:1].lower() + advice.insurance.title[1:]
        document.add_paragraph(f"Insurance of the pool: to {title} would move the senior default probability from "
                               f"{i.before.senior_pd:.2%} to {i.after.senior_pd:.2%}, net of the insurer's own default risk.")
