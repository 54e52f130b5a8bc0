"""The memo's content, once: heading fields and ordered sections of blocks, built from the Assessment alone.

Every figure is formatted here and only here, so the Markdown, HTML, DOCX and PDF editions show the same strings.
Renderers (templates/memo.*.j2, docx_memo.py) walk the blocks; text is plain text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipsa.engine.assessment import AREAS, Assessment, Citation, Finding as FindingResult

AREA_TITLES = {
    "spv_form": "SPV form",
    "bankruptcy_remoteness": "Bankruptcy remoteness",
    "tax": "Tax",
    "supervision": "Supervision",
}
LANGUAGES = {"CN": "zh", "JP": "ja", "VN": "vi"}  # an instrument's original title, by its id's prefix
CHART_PLACES = "HTML, DOCX and PDF"


# -- the one place numbers become text ---------------------------------------------------------------------------

def pct(value: float) -> str:
    return f"{value:.2%}"


def pct_se(value: float, se: float) -> str:
    return f"{pct(value)} ± {pct(se)}"


def pct_bound(value: float, se: float, upper: float) -> str:
    """An estimate, its standard error and its one-sided 95% upper confidence bound: '0.00% ± 0.00% (≤ 0.15%)'."""
    return f"{pct_se(value, se)} (≤ {pct(upper)})"


def fixed_x(value: float) -> str:
    """A coverage ratio."""
    return f"{fixed(value)}x"


def money(value: float) -> str:
    return f"{value:,.0f}"


def fixed(value: float) -> str:
    return f"{value:.2f}"


def count(value: int) -> str:
    return f"{value:,}"


# -- blocks ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A run of text: style '' (plain), 'em', 'strong', 'code' or 'unverified'; a link or a language if given."""

    text: str
    style: str = ""
    href: str = ""
    lang: str = ""


Inline = list[Span]


def text(value: object, style: str = "") -> Inline:
    return [Span(str(value), style)]


@dataclass
class Heading:
    text: str
    level: int  # 2 below a section title, 3 below that, ...
    kind = "heading"


@dataclass
class Paragraph:
    spans: Inline
    kind = "paragraph"


@dataclass
class Bullets:
    items: list[Inline]
    ordered: bool = False
    kind = "bullets"


@dataclass
class Table:
    header: list[str]
    rows: list[list[Inline]]
    caption: str = ""
    status: bool = False  # cells are statuses (fail, risk, pass, info, none), which HTML colours
    kind = "table"


@dataclass
class Figure:
    """A chart, drawn by the renderer that needs it (charts.draw) from the assessment."""

    key: str  # structure, fan or losses
    title: str
    caption: str
    kind = "figure"


@dataclass
class Chain:
    """The chain of reasoning behind a finding: (label, text) steps, premises first."""

    steps: list[tuple[str, Inline]]
    kind = "chain"


@dataclass
class Finding:
    """One finding in issue-rule-application-conclusion order."""

    anchor: str
    status: str
    title: str
    level: int
    blocks: list
    kind = "finding"


@dataclass
class Section:
    title: str
    blocks: list


@dataclass
class Memo:
    title: str
    deal: str
    privileged: str
    heading: list[tuple[str, str]]
    sections: list[Section] = field(default_factory=list)

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


# -- the memo ----------------------------------------------------------------------------------------------------

def build(a: Assessment, generated: str, quotes: bool = False) -> Memo:
    """The memo's content for an assessment; `generated` is the date line; with `quotes` the table of authorities
    gives each verified article's words in the original language and why the others are unverified."""
    d = a.deal
    return Memo(
        title="Memorandum",
        deal=d.name,
        privileged="Privileged and confidential — attorney work product",
        heading=[("To", d.client), ("From", d.counsel), ("Date", generated),
                 ("Re", f"{d.name}: legal assessment of the IP securitization structure"),
                 ("Law applied as of", a.as_of.isoformat())],
        sections=[_questions(a), _answers(a), _facts(a), _discussion(a), _risk(a), _advice(a), _qualifications(a),
                  _authorities(a, quotes)] + _cash_flow_appendix(a) + [_trace(a)],
    )


def _name(a: Assessment, jurisdiction: str) -> str:
    return a.jurisdiction_names.get(jurisdiction, jurisdiction)


def _questions(a: Assessment) -> Section:
    d = a.deal
    return Section("Questions presented", [Bullets([
        text(f"Does the vehicle chosen for {d.name} ({d.spv_form_name}, {d.spv_jurisdiction}) exist and fit the transaction?"),
        text("Is the asset pool bankruptcy-remote from the originator?"),
        text("What tax arises on the transfer and on the royalties?"),
        text("Which supervisory requirements apply, and are they met?"),
    ], ordered=True)])


def _answers(a: Assessment) -> Section:
    blocks: list = []
    if a.findings:
        fails = sum(1 for f in a.findings if f.status == "fail")
        risks = sum(1 for f in a.findings if f.status == "risk")
        blocks.append(Paragraph(text(f"The assessment found {fails} requirement(s) not met and {risks} met but exposed.")))
    else:
        blocks.append(Paragraph(text("The rule base produced no findings for this deal.")))
    blocks.append(Table(["Jurisdiction", *(AREA_TITLES[x] for x in AREAS)],
                        [[text(_name(a, j)), *(text(row[x]) for x in AREAS)] for j, row in a.status_table.items()],
                        status=True))
    if a.not_assessed:
        blocks.append(Bullets([text(f"Not assessed — {note}") for note in a.not_assessed]))
    return Section("Brief answers", blocks)


def _facts(a: Assessment) -> Section:
    d = a.deal
    blocks: list = [Bullets([
        text(f"Deal: {d.name}; governing law of the transaction documents: {d.governing_law}; currency {d.currency}."),
        text(f"Vehicle: {d.spv_name}; form: {d.spv_form_name}; established in {d.spv_jurisdiction}."),
        text(f"Pool: {d.pooled_patents} of {d.patents} patents ({', '.join(d.patent_offices) or 'none'}); "
             f"{d.pooled_licences} of {d.licences} licences back the notes."),
        text(f"Notes: {len(d.notes)} class(es), {money(d.notes_total)} {d.currency} in total."),
    ])]
    blocks.append(Table(["Class", f"Amount ({d.currency})", "Coupon", "Seniority", "Legal final", "Investors"],
                        [[text(n.id), text(money(n.amount)), text(pct(n.coupon)), text(n.seniority),
                          text(n.legal_final.isoformat()), text(n.investor_type)] for n in d.notes]))
    blocks.append(Table(["Party", "Roles", "Jurisdiction"],
                        [[text(p.name), text(", ".join(p.roles)), text(p.jurisdiction)] for p in d.parties]))
    if a.assumptions:
        blocks.append(Paragraph(text("Where the deal description is silent we have assumed:")))
        blocks.append(Bullets([text(item) for item in a.assumptions]))
    blocks.append(Heading("Deal structure", 2))
    blocks.append(Figure("structure", "Deal structure",
                         "Originator at the top, the SPV below it, licensees and others further down; arrows show "
                         "transfers, licences, royalty payments and credit support."))
    return Section("Facts as submitted", blocks)


def _cites(citations: list[Citation]) -> Inline:
    spans: Inline = []
    for n, c in enumerate(citations):
        if n:
            spans.append(Span("; "))
        spans.append(Span(c.label))
        if not c.verified:
            spans += [Span(" "), Span("[unverified]", "unverified")]
    return spans


def _finding(f: FindingResult) -> Finding:
    own = {(c.instrument, c.article) for c in f.citations}
    steps: list[tuple[str, Inline]] = []
    for step in f.because:
        if step.kind == "fact":
            steps.append(("Fact", text(step.text)))
            continue
        extra = [c for c in step.citations if (c.instrument, c.article) not in own]
        steps.append((f"Therefore ({step.rule_id})", text(step.text) + ([Span(" ("), *_cites(extra), Span(")")] if extra else [])))
    blocks = [
        Paragraph([Span("Issue.", "em"), Span(" " + f.requirement)]),
        Paragraph([Span("Rule.", "em"), Span(f" {f.law} ("), *_cites(f.citations), Span(")")]),
        Paragraph([Span("Application.", "em")]),
        Chain(steps),
        Paragraph([Span("Conclusion.", "em"), Span(" " + f.conclusion)]),
    ]
    if f.remediation:
        blocks.append(Paragraph([Span("Remediation.", "em"), Span(" " + f.remediation)]))
    return Finding(f.id, f.status, f"{f.rule_id} — {f.status.upper()}", 4, blocks)


GROUP_AT = 5  # this many findings of one rule with one status share a section: a long pool repeats a rule per item


def _alike(items: list, key) -> list[list]:
    """The items in order, those sharing a key GROUP_AT times or more gathered into one group at the first one's
    place; the others alone (a group of one each)."""
    counts: dict = {}
    for item in items:
        counts.setdefault(key(item), []).append(item)
    out, placed = [], set()
    for item in items:
        same = counts[key(item)]
        if len(same) < GROUP_AT:
            out.append([item])
        elif key(item) not in placed:
            placed.add(key(item))
            out.append(same)
    return out


def _grouped_finding(group: list[FindingResult]) -> Finding:
    """One section for a rule that reached many items alike: the issue and rule once, each item's conclusion, the
    first item's chain as the worked example, and the remediations once each."""
    first = _finding(group[0])
    issue, rule = first.blocks[0], first.blocks[1]
    chain = next(b for b in first.blocks if isinstance(b, Chain))
    remedies = list(dict.fromkeys(f.remediation for f in group if f.remediation))
    blocks = [
        issue, rule,
        Paragraph([Span("Application.", "em"), Span(
            f" The rule reaches {len(group)} items in the same way; the reasoning for the first is set out below, and "
            "the JSON assessment holds every item's facts and chain.")]),
        chain,
        Paragraph([Span("Conclusions.", "em"), Span(f" {len(group)} items:")]),
        Bullets([text(f.conclusion) for f in group]),
    ]
    if len(remedies) == 1:
        blocks.append(Paragraph([Span("Remediation.", "em"), Span(" " + remedies[0])]))
    elif remedies:
        blocks += [Paragraph([Span("Remediation.", "em")]), Bullets([text(r) for r in remedies])]
    f = group[0]
    return Finding(f.id, f.status, f"{f.rule_id} — {f.status.upper()} ({len(group)} items)", 4, blocks)


def _discussion(a: Assessment) -> Section:
    blocks: list = []
    for j in a.jurisdictions_assessed:
        found = [f for f in a.findings if f.jurisdiction == j]
        if not found:
            continue
        blocks.append(Heading(_name(a, j), 2))
        for area in AREAS:
            in_area = [f for f in found if f.area == area]
            if in_area:
                blocks.append(Heading(AREA_TITLES[area], 3))
                blocks += [_finding(group[0]) if len(group) == 1 else _grouped_finding(group)
                           for group in _alike(in_area, lambda f: (f.rule_id, f.status))]
    if not blocks:
        blocks.append(Paragraph(text("No rule of the rule base applied to this deal.")))
    return Section("Discussion", blocks)


def _risk(a: Assessment) -> Section:
    r = a.risk
    if r is None:
        return Section("Risk analysis", [Paragraph(text("The numeric risk analysis was not run for this memo."))])
    currency = a.deal.currency
    stress = f" under the {r.stress} stress" if r.stress else ""
    blocks: list = [Paragraph(text(
        f"The figures below come from {count(r.paths)} simulated paths (seed {r.seed}, {r.periods_per_year} periods a "
        f"year){stress}. They are estimates with the standard errors shown; beside each default probability and "
        "expected loss, in brackets, is a one-sided upper confidence bound at the 95 per cent level, which holds however "
        "few defaults the paths showed (exact Clopper-Pearson for default probabilities, the Chernoff-Hoeffding bound "
        "for expected losses). The standard errors of the coverage quantiles and of the enhancement come from the "
        "order-statistic interval of a quantile, that of the trigger rate from the binomial. The assumptions and their "
        "sources are listed at the end of this section."))]
    blocks.append(Heading("Screening", 2))
    blocks.append(Table(["Patent", "Office", "Score", "In the modelled pool", "Defects"], [
        [text(s.number), text(s.office), text(f"{s.score:.0f}"),
         text("kept at the client's request" if s.kept_by_user else ("no" if s.excluded else "yes")),
         text("; ".join(str(x["reason"]) for x in s.defects) or "none")] for s in r.screening]))
    if r.classes:
        blocks.append(Figure("fan", "Royalty fan chart", f"Simulated collections per period over {count(r.paths)} paths "
                             f"(seed {r.seed}): the median, the band between the 5th and 95th percentiles, the mean and the contractual "
                             f"expectation, in {currency}."))
    blocks.append(Heading("The notes", 2))
    blocks.append(Table(
        ["Class", f"Balance ({currency})", "Default probability", "Expected loss", "Weighted average life (years)", "Paid by a wrap"],
        [[text(c.id), text(money(c.balance)), text(pct_bound(c.pd, c.pd_se, c.pd_upper_95)),
          text(pct_bound(c.expected_loss, c.expected_loss_se, c.expected_loss_upper_95)),
          text(f"{fixed(c.wal_years)} ± {fixed(c.wal_se)}"), text(pct(c.wrap_reliance))] for c in r.classes]))
    for c in r.classes:
        if c.residual:
            blocks.append(Paragraph(text(
                f"The residual class {c.id} is owed no coupon or principal, so it cannot default: it receives what is "
                f"left after every other step, on average {fixed(c.distributions_multiple or 0.0)} times its investment; "
                f"the share of its investment not returned averages {pct(c.expected_loss)}.")))
    if r.classes:
        blocks.append(Figure("losses", "Loss distribution", f"Principal lost across all classes, over {count(r.paths)} paths."))
    if r.dscr_min_p5 is not None:
        blocks.append(Paragraph(text(
            f"Coverage: the lowest debt-service coverage on a path is {fixed_x(r.dscr_min_p5)} or less on one path in "
            f"twenty (s.e. {fixed_x(r.dscr_min_p5_se)}; median {fixed_x(r.dscr_min_p50)}, s.e. {fixed_x(r.dscr_min_p50_se)}); "
            f"rapid amortisation is triggered on {pct_se(r.trigger_rate, r.trigger_rate_se)} of paths.")))
    if r.enhancement:
        blocks.append(Paragraph(text(enhancement_sentence(r.enhancement, currency))))
    if r.stresses:
        blocks.append(Heading("Stresses", 2))
        blocks.append(Table(["Stress", "Senior default probability", "Senior expected loss"], [
            [text(s.description), text(pct_bound(s.senior_pd, s.senior_pd_se, s.senior_pd_upper_95)), text(pct(s.senior_expected_loss))]
            for s in r.stresses]))
    if r.selection:
        s = r.selection
        blocks.append(Heading("Pool selection", 2))
        blocks.append(Paragraph(text(
            f"{s.why}. Chosen licences: {', '.join(s.chosen_licences) or 'none'}"
            + (f"; dropped: {', '.join(s.dropped_licences)}" if s.dropped_licences else "")
            + f". Senior expected loss per unit of collateral {pct(s.chosen_senior_el)} against "
            f"{pct(s.take_all_senior_el)} taking every licence.")))
        blocks.append(Table(["Largest share by", "Limit", "Taking every licence", "Chosen pool"], [
            [text(k), text(pct(limit)), text(pct(s.take_all_top_shares.get(k, 0.0))), text(pct(s.chosen_top_shares.get(k, 0.0)))]
            for k, limit in s.limits.items()]))
    blocks.append(Heading("Risk assumptions", 2))
    blocks.append(Bullets([text(f"{key}: {value}") for key, value in r.assumptions.items()]))
    return Section("Risk analysis", blocks)


def enhancement_sentence(e, currency: str) -> str:
    """The sizing result, as the memo and the command line state it."""
    head = (f"Enhancement: for a senior default probability of {pct(e.target_senior_pd)} ({e.target_source}), and "
            "ignoring any wrap, ")
    if not e.achievable:
        return head + (
            f"no senior balance meets the target: even a senior class of almost nothing defaults on "
            f"{pct(e.smallest_senior_pd)} of paths, those on which collections stop before its schedule ends (the pool's "
            "own failure, which subordination cannot cure). Meeting the target needs a reserve funded at closing, a cash "
            "trap or faster amortisation, or support from a creditworthy third party; "
            f"the structure has {pct(e.current_enhancement)} enhancement against the present value of expected royalties "
            f"({money(e.expected_collections_pv)} {currency}).")
    return head + (
        f"the senior class can be at most {money(e.max_senior_balance)} {currency} (s.e. {money(e.max_senior_balance_se)}): "
        f"the structure needs {pct_se(e.required_enhancement, e.required_enhancement_se)} enhancement against the "
        f"present value of expected royalties ({money(e.expected_collections_pv)} {currency}); it has "
        f"{pct(e.current_enhancement)}.")


def _vehicle(v, currency: str) -> Inline:
    return text(vehicle_sentence(v, currency))


def vehicle_sentence(v, currency: str) -> str:
    """One vehicle of the advisor's ranking, as the memo and the command line state it."""
    if not v.available:
        return f"Not available: {v.name} — {v.reason}"
    parts = [f"Rank {v.rank}. {v.name}{' (the form the deal uses)' if v.current else ''}: "]
    if not v.tested:
        parts.append("never yet used for IP receivables, so ranked after the forms in use; ")
    parts.append("no requirement fails" if v.fails == 0 else f"{v.fails} requirement(s) fail")
    parts.append(f", {v.risks} risk(s) remain")
    if v.remaining:
        parts.append(f" ({'; '.join(v.remaining[:4])}{'; ...' if len(v.remaining) > 4 else ''})")
    if v.tax_leakage is not None:
        detail = [f"{k.replace('_', ' ')} {money(x)}" for k, x in v.tax_detail.items() if x]
        parts.append(f"; about {money(v.tax_leakage)} {currency} of tax over the deal's life"
                     + (f" ({', '.join(detail)})" if detail else ""))
    parts.append(f"; {len(v.steps)} regulatory or formation step(s)")
    if v.companion_changes:
        parts.append(f"; it needs {' and '.join(v.companion_changes)}")
    parts.append(f". Investors: {v.investors}")
    return "".join(parts)


def _pd_move(before, after) -> str:
    return f"{pct(before.senior_pd)} → {pct(after.senior_pd)}" if before.senior_pd is not None and after.senior_pd is not None else "—"


def _advice(a: Assessment) -> Section:
    title = "Recommended vehicle and remediation"
    advice = a.advice
    if advice is None:
        return Section(title, [Paragraph(text("The advisor was not run for this memo."))])
    currency = a.deal.currency
    blocks: list = []
    best = next((v for v in advice.vehicles if v.rank == 1), None)
    if best:
        blocks.append(Paragraph(text(
            f"We recommend the {best.name}{', the form the deal already uses' if best.current else ''}. The vehicles the "
            "deal's jurisdictions offer, each assessed with this deal in it:")))
    elif advice.vehicles:
        blocks.append(Paragraph(text("None of the vehicles the deal's jurisdictions offer is available for this deal:")))
    items = [_vehicle(v, currency) for v in advice.vehicles] + [text(f"Not evaluated: {n}") for n in advice.not_evaluated]
    if items:
        blocks.append(Bullets(items))
    if advice.plan:
        blocks.append(Paragraph(text(
            "The remediation plan below is ordered by effect. Each step was applied to the deal and the deal assessed "
            "again; what it cures is the result of that re-assessment.")))
        blocks.append(Table(["Step", "Change", "Cures", "Creates", "Senior default probability"], [
            [text(n), text(p.title), text("; ".join(p.diff.cured) or "—"), text("; ".join(p.diff.created) or "—"),
             text(_pd_move(p.diff.before, p.diff.after))] for n, p in enumerate(advice.plan, start=1)]))
    else:
        blocks.append(Paragraph(text("No change the advisor knows cures a finding or lowers the senior default probability.")))
    if advice.insurance:
        i = advice.insurance
        before, after = i.diff.before.senior_pd, i.diff.after.senior_pd
        if before is not None and after is not None:
            blocks.append(Paragraph(text(
                f"Insurance of the pool: to {i.title[:1].lower()}{i.title[1:]} would move the senior default probability "
                f"from {pct(before)} to {pct(after)}, net of the insurer's own default risk.")))
    return Section(title, blocks)


def _qualifications(a: Assessment) -> Section:
    items = [
        [Span(f"This memorandum applies the law in force on {a.as_of.isoformat()} as recorded in ipsa's knowledge base; "
              "citations marked "), Span("[unverified]", "unverified"),
         Span(" rest on secondary sources and must be checked against the official text before reliance.")],
        text("The facts are those submitted in the deal description; unstated covenants are treated as absent."),
    ]
    if a.risk is not None:
        items.append(text("Risk figures are Monte Carlo estimates under the stated assumptions, with their standard errors."))
    items.append(text("Jurisdictions the rule base does not yet cover are listed above as not assessed."))
    return Section("Assumptions and qualifications", [Bullets(items)])


def _authorities(a: Assessment, quotes: bool = False) -> Section:
    rows = [[[Span(c.title_en, href=c.source)], text(c.article or "—"),
             [Span(c.title_original, lang=LANGUAGES.get(c.instrument[:2], "en"))],
             text("yes") if c.verified else text("unverified", "unverified")] for c in a.authorities()]
    header = ["Instrument", "Article", "Original title", "Verified"]
    if quotes:
        header.append("The source's words")
        for row, c in zip(rows, a.authorities()):
            row.append([Span(c.quote, lang=LANGUAGES.get(c.instrument[:2], "en")), Span(f" (read: {c.read})")] if c.verified
                       else text(f"Not verified: {c.unverified_reason}"))
    return Section("Table of authorities", [Table(header, rows)])


def cash_flow_summary(flows) -> tuple[list[str], list[list[float | None]]]:
    """The log's columns grouped for reading: per period, collections, fees and premiums, interest, principal, the
    reserve's net movement, what left at the residual step, the debt outstanding and the coverage ratio."""
    index = {c: i for i, c in enumerate(flows.columns)}

    def total(row, test) -> float:
        return sum(row[i] for c, i in index.items() if test(c))

    header = ["Period end", "Collections", "Fees and premiums", "Interest", "Principal", "To (+) or from (−) reserve",
              "Residual or released", "Debt outstanding", "Coverage"]
    rows = []
    for end, row in zip(flows.period_ends, flows.rows):
        rows.append([end.isoformat(), row[index["collections"]],
                     total(row, lambda c: c.startswith("fee ") and not c.endswith(" owed") or c == "wrap premiums"),
                     total(row, lambda c: c.startswith("interest ") and not c.startswith("interest arrears")),
                     total(row, lambda c: c.startswith("principal ") and "ledger" not in c),
                     total(row, lambda c: c in ("reserve top-up", "cash trapped in the reserve")) - total(row, lambda c: c == "reserve draws"),
                     total(row, lambda c: c.startswith("residual to ") or c == "released to the originator"),
                     total(row, lambda c: c.startswith("balance ")),  # states: never None
                     row[index["coverage ratio"]] if "coverage ratio" in index else None])
    return header, rows


def _cash_flow_appendix(a: Assessment) -> list[Section]:
    flows = a.risk.cash_flows if a.risk else None
    if flows is None:
        return []
    header, rows = cash_flow_summary(flows)
    body = [[text(r[0])] + [text(money(v)) for v in r[1:-1]]
            + [text("—" if r[-1] is None else fixed_x(r[-1]))] for r in rows]
    return [Section("Appendix: cash flows on the mean path", [
        Paragraph(text(
            f"The priority of payments run on the mean of the {count(a.risk.paths)} simulated paths' collections, every "
            f"wrap provider standing, in {a.deal.currency}. In every period the sources of cash (collections, draws on "
            "the reserve and on wraps) equal its uses (largest difference "
            f"{money(flows.check)}). The full log, one column per fee, class and covenant, is written by "
            "`ipsa cashflows` as CSV or XLSX, for the mean path or any simulated path.")),
        Table(header, body)])]


def _trace_rows(trace) -> list[list[Inline]]:
    """One row per rule firing; a rule that fired GROUP_AT times or more in one step is one row with the count and
    its first few facts (the JSON assessment lists every firing)."""
    def ids(values: list[str], shown: int = 6) -> str:
        return ", ".join(values[:shown]) + (f" and {len(values) - shown} more" if len(values) > shown else "")

    rows = []
    for firings in _alike(trace, lambda t: (t.step, t.rule_id)):
        t = firings[0]
        if len(firings) == 1:
            rows.append([text(t.step), text(t.rule_id), text(", ".join(t.matched)), text(", ".join(t.produced))])
        else:
            rows.append([text(t.step), text(f"{t.rule_id} ({len(firings)} firings)"),
                         text(ids([m for f in firings for m in f.matched])),
                         text(ids([p for f in firings for p in f.produced]))])
    return rows


def _trace(a: Assessment) -> Section:
    blocks: list = [Paragraph([
        Span(f"ipsa {a.ipsa_version}; rule base version {a.rule_base_version}; knowledge base digest "
             f"{a.knowledge_base_digest[:16]}; input {a.source}, SHA-256 "), Span(a.input_sha256, "code"), Span(".")])]
    o = a.options
    if o is not None:
        risk = f"risk analysis on {count(o.paths or 0)} paths, seed {o.seed}" + (f", {o.stress} stress" if o.stress else "") \
            if o.risk else "no risk analysis"
        blocks.append(Paragraph(text(f"Run options: law as of {o.as_of.isoformat()}; {risk}; "
                                     f"{'with' if o.advice else 'without'} the advisor.")))
    blocks.append(Table(["Step", "Rule", "Matched", "Produced"], _trace_rows(a.trace)))
    if a.displaced:
        blocks.append(Paragraph(text("Displaced by a more specific rule: "
                                     + "; ".join(f"{x.rule_id} ({x.finding_id}) by {x.by_rule}" for x in a.displaced) + ".")))
    return Section("Appendix: rule trace", blocks)
