"""The memo's content, once: heading fields and ordered sections of blocks, built from the Assessment alone.

Every figure is formatted here (with the translator's formats, reports.i18n) and only here, so the Markdown, HTML,
DOCX and PDF editions show the same strings in every language.
Renderers (templates/memo.*.j2, docx_memo.py) walk the blocks; text is plain text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipsa.engine.assessment import AREAS, Assessment, Citation, Finding as FindingResult
from ipsa.engine.text import N_
from ipsa.reports.i18n import Translator

AREA_TITLES = {
    "spv_form": N_("SPV form"),
    "bankruptcy_remoteness": N_("Bankruptcy remoteness"),
    "tax": N_("Tax"),
    "supervision": N_("Supervision"),
}
STATUS_WORDS = {"fail": N_("fail"), "risk": N_("risk"), "pass": N_("pass"), "info": N_("info"), "none": N_("none")}
ENGLISH = Translator("en")
LANGUAGES = {"CN": "zh", "JP": "ja", "VN": "vi"}  # an instrument's original title, by its id's prefix
CHART_PLACES = N_("HTML, DOCX and PDF")


# -- numbers as text in English (the command line, the workspace's pages); the formats are the translator's --------

def pct(value: float) -> str:
    return ENGLISH.pct(value)


def pct_se(value: float, se: float) -> str:
    return ENGLISH.msg("{value:.2%} ± {se:.2%}", value=value, se=se)


def pct_bound(value: float, se: float, upper: float) -> str:
    """An estimate, its standard error and its one-sided 95% upper confidence bound: '0.00% ± 0.00% (≤ 0.15%)'."""
    return _bound(ENGLISH, value, se, upper)


def fixed_x(value: float) -> str:
    """A coverage ratio."""
    return ENGLISH.msg("{value:.2f}x", value=value)


def money(value: float) -> str:
    return ENGLISH.money(value)


def fixed(value: float) -> str:
    return ENGLISH.fixed(value)


def count(value: int) -> str:
    return ENGLISH.count(value)


# -- blocks ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A run of text: style '' (plain), 'em', 'strong', 'code' or 'unverified'; a link or a language if given."""

    text: str
    style: str = ""
    href: str = ""
    lang: str = ""
    mark: str = ""  # a status keyword (fail, risk, pass, info, none) that HTML colours, whatever the language


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
    label: str = "Figure"
    where: str = f"The chart is drawn in the {CHART_PLACES} editions of this memo."  # said where no chart is drawn (Markdown)
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
class Pair:
    """A block in English beside the same block in the client's language (a bilingual memo)."""

    left: object
    right: object
    kind = "pair"


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
    language: str = "en"
    footer: str = "Privileged and confidential — page"  # the printed page's footer, before its page numbers
    of: str = "of"
    untranslated: list[str] = field(default_factory=list)  # texts a translated memo had to leave in English
    colon: str = ": "  # after a label (a chain's "Fact", a figure's "Figure"), as the language writes it

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


# -- the memo ----------------------------------------------------------------------------------------------------

def build(a: Assessment, generated: str, quotes: bool = False, language: str = "en") -> Memo:
    """The memo's content for an assessment in a language (en, zh, vi, ja); `generated` is the date line; with
    `quotes` the table of authorities gives each verified article's words in the original language and why the
    others are unverified. A translated memo that used unreviewed translations, or had to leave a text in English,
    says so in its qualifications."""
    tr = Translator(language, a.messages)
    d = a.deal
    qualifications = _qualifications(a, tr)
    memo = Memo(
        title=tr.msg("Memorandum"),
        deal=d.name,
        privileged=tr.msg("Privileged and confidential — attorney work product"),
        heading=[(tr.msg("To"), d.client), (tr.msg("From"), d.counsel), (tr.msg("Date"), tr.date_line(generated)),
                 (tr.msg("Re"), tr.msg("{deal}: legal assessment of the IP securitization structure", deal=d.name)),
                 (tr.msg("Law applied as of"), tr.date_line(a.as_of))],
        sections=[_questions(a, tr), _answers(a, tr), _facts(a, tr), _discussion(a, tr), _risk(a, tr), _advice(a, tr),
                  qualifications, _authorities(a, tr, quotes)] + _cash_flow_appendix(a, tr) + [_trace(a, tr)],
        language=language, colon=tr.msg(": "),
        footer=tr.msg("Privileged and confidential — page"),
        of=tr.msg("of"),
    )
    for figure in memo.figures():
        figure.label = tr.msg("Figure")
        figure.where = tr.msg("The chart is drawn in the {places} editions of this memo.", places=tr.msg(CHART_PLACES))
    if not tr.english:
        qualifications.blocks[0].items.append(text(_translation_note(tr)))
        memo.untranslated = sorted(tr.missing)
    return memo


def bilingual(first: Memo, second: Memo) -> Memo:
    """Two editions of one memo (built from the same assessment, so block for block alike) as one: each heading,
    paragraph, list, chain and finding beside its translation; tables once, in the second language with both
    languages' column headers; charts once."""
    def paired(left: list, right: list) -> list:
        if [b.kind for b in left] != [b.kind for b in right]:
            raise ValueError("the two editions of the memo differ in shape")
        out: list = []
        for a, b in zip(left, right):
            if isinstance(b, Table):
                out.append(Table([y if x == y else f"{x} / {y}" for x, y in zip(a.header, b.header)], b.rows, b.caption, b.status))
            elif isinstance(b, Figure):
                out.append(b)
            else:
                out.append(Pair(a, b))
        return out

    def both(x: str, y: str) -> str:
        return x if x == y else f"{x} / {y}"

    return Memo(
        title=both(first.title, second.title), deal=first.deal, privileged=both(first.privileged, second.privileged),
        heading=[(both(a[0], b[0]), b[1] if a[1] == b[1] else f"{a[1]} / {b[1]}") for a, b in zip(first.heading, second.heading)],
        sections=[Section(both(a.title, b.title), paired(a.blocks, b.blocks)) for a, b in zip(first.sections, second.sections)],
        language=second.language, footer=both(first.footer, second.footer), of=second.of,
    )


def _translation_note(tr: Translator) -> str:
    """What a translated memo must say about its own words."""
    note = tr.msg("This memorandum is a translation of ipsa's English text; where they differ, the English text prevails.")
    if tr.unreviewed:
        note += tr.space + tr.msg("{unreviewed} of the texts it uses have not been reviewed by a lawyer qualified in the "
                             "language; rely on them only after that review.", unreviewed=tr.count(len(tr.unreviewed)))
    if tr.missing:
        note += tr.space + tr.msg("{missing} text(s) had no translation and are given in English.", missing=tr.count(len(tr.missing)))
    return note


def _name(a: Assessment, jurisdiction: str, tr: Translator = ENGLISH) -> str:
    return tr(a.jurisdiction_names.get(jurisdiction, jurisdiction))


def _questions(a: Assessment, tr: Translator) -> Section:
    d = a.deal
    return Section(tr.msg("Questions presented"), [Bullets([
        text(tr.msg("Does the vehicle chosen for {deal} ({form}, {country}) exist and fit the transaction?",
                    deal=d.name, form=tr(d.spv_form_name), country=d.spv_jurisdiction)),
        text(tr.msg("Is the asset pool bankruptcy-remote from the originator?")),
        text(tr.msg("What tax arises on the transfer and on the royalties?")),
        text(tr.msg("Which supervisory requirements apply, and are they met?")),
    ], ordered=True)])


def _status(tr: Translator, status: str) -> Inline:
    return [Span(tr(STATUS_WORDS.get(status, status)), mark=status)]


def _answers(a: Assessment, tr: Translator) -> Section:
    blocks: list = []
    if a.findings:
        fails = sum(1 for f in a.findings if f.status == "fail")
        risks = sum(1 for f in a.findings if f.status == "risk")
        blocks.append(Paragraph(text(tr.msg("The assessment found {fails} requirement(s) not met and {risks} met but exposed.",
                                            fails=fails, risks=risks))))
    else:
        blocks.append(Paragraph(text(tr.msg("The rule base produced no findings for this deal."))))
    blocks.append(Table([tr.msg("Jurisdiction"), *(tr(AREA_TITLES[x]) for x in AREAS)],
                        [[text(_name(a, j, tr)), *(_status(tr, row[x]) for x in AREAS)] for j, row in a.status_table.items()],
                        status=True))
    if a.not_assessed:
        blocks.append(Bullets([text(tr.msg("Not assessed — {note}", note=tr(note))) for note in a.not_assessed]))
    return Section(tr.msg("Brief answers"), blocks)


def _facts(a: Assessment, tr: Translator) -> Section:
    d = a.deal
    blocks: list = [Bullets([
        text(tr.msg("Deal: {deal}; governing law of the transaction documents: {law}; currency {currency}.",
                    deal=d.name, law=d.governing_law, currency=d.currency)),
        text(tr.msg("Vehicle: {spv}; form: {form}; established in {country}.",
                    spv=d.spv_name, form=tr(d.spv_form_name), country=d.spv_jurisdiction)),
        text(tr.msg("Pool: {pooled} of {patents} patents ({offices}); {pooled_licences} of {licences} licences back the notes.",
                    pooled=d.pooled_patents, patents=d.patents, offices=", ".join(d.patent_offices) or tr.msg("none"),
                    pooled_licences=d.pooled_licences, licences=d.licences)),
        text(tr.msg("Notes: {classes} class(es), {total} {currency} in total.",
                    classes=len(d.notes), total=tr.money(d.notes_total), currency=d.currency)),
    ])]
    blocks.append(Table([tr.msg("Class"), tr.msg("Amount ({currency})", currency=d.currency), tr.msg("Coupon"),
                         tr.msg("Seniority"), tr.msg("Legal final"), tr.msg("Investors")],
                        [[text(n.id), text(tr.money(n.amount)), text(tr.pct(n.coupon)), text(n.seniority),
                          text(n.legal_final.isoformat()), text(tr(n.investor_type))] for n in d.notes]))
    blocks.append(Table([tr.msg("Party"), tr.msg("Roles"), tr.msg("Jurisdiction")],
                        [[text(p.name), text(tr.msg(", ").join(tr(r) for r in p.roles)), text(p.jurisdiction)] for p in d.parties]))
    if a.assumptions:
        blocks.append(Paragraph(text(tr.msg("Where the deal description is silent we have assumed:"))))
        blocks.append(Bullets([text(tr(item)) for item in a.assumptions]))
    blocks.append(Heading(tr.msg("Deal structure"), 2))
    blocks.append(Figure("structure", tr.msg("Deal structure"),
                         tr.msg("Originator at the top, the SPV below it, licensees and others further down; arrows show "
                                "transfers, licences, royalty payments and credit support.")))
    return Section(tr.msg("Facts as submitted"), blocks)


def _cites(citations: list[Citation], tr: Translator = ENGLISH) -> Inline:
    spans: Inline = []
    for n, c in enumerate(citations):
        if n:
            spans.append(Span(tr.msg("; ")))
        spans.append(Span(c.label if tr.english else citation_label(c, tr), lang=_citation_lang(c, tr)))
        if not c.verified:
            spans += [Span(" "), Span(tr.msg("[unverified]"), "unverified")]
    return spans


def citation_label(c: Citation, tr: Translator) -> str:
    """A citation as the memo's language writes it: in the law's own language its original title (第十条 of
    《专利法》, 特許法第98条), elsewhere the English title with the article."""
    title = c.title_original if LANGUAGES.get(c.instrument[:2]) == tr.language and c.title_original else c.title_en
    if not c.article:
        return title
    if not c.article[:1].isdigit():  # a practice source's section, named rather than numbered
        return tr.msg("{title}, {section}", title=title, section=tr.term(c.article))
    return tr.msg("{title}, Art. {article}", title=title, article=c.article)


def _citation_lang(c: Citation, tr: Translator) -> str:
    return LANGUAGES.get(c.instrument[:2], "") if not tr.english and LANGUAGES.get(c.instrument[:2]) == tr.language else ""


def _finding(f: FindingResult, tr: Translator = ENGLISH) -> Finding:
    own = {(c.instrument, c.article) for c in f.citations}
    steps: list[tuple[str, Inline]] = []
    for step in f.because:
        if step.kind == "fact":
            steps.append((tr.msg("Fact"), text(tr(step.text))))
            continue
        extra = [c for c in step.citations if (c.instrument, c.article) not in own]
        steps.append((tr.msg("Therefore ({rule})", rule=step.rule_id),
                      text(tr(step.text)) + ([Span(" ("), *_cites(extra, tr), Span(")")] if extra else [])))
    blocks = [
        Paragraph([Span(tr.msg("Issue."), "em"), Span(" " + tr(f.requirement))]),
        Paragraph([Span(tr.msg("Rule."), "em"), Span(f" {tr(f.law)} ("), *_cites(f.citations, tr), Span(")")]),
        Paragraph([Span(tr.msg("Application."), "em")]),
        Chain(steps),
        Paragraph([Span(tr.msg("Conclusion."), "em"), Span(" " + tr(f.conclusion))]),
    ]
    if f.remediation:
        blocks.append(Paragraph([Span(tr.msg("Remediation."), "em"), Span(" " + tr(f.remediation))]))
    return Finding(f.id, f.status, tr.msg("{rule} — {status}", rule=f.rule_id, status=_status_title(tr, f.status)), 4, blocks)


def _status_title(tr: Translator, status: str) -> str:
    return status.upper() if tr.english else tr(STATUS_WORDS[status])


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


def _grouped_finding(group: list[FindingResult], tr: Translator = ENGLISH) -> Finding:
    """One section for a rule that reached many items alike: the issue and rule once, each item's conclusion, the
    first item's chain as the worked example, and the remediations once each."""
    first = _finding(group[0], tr)
    issue, rule = first.blocks[0], first.blocks[1]
    chain = next(b for b in first.blocks if isinstance(b, Chain))
    remedies = list(dict.fromkeys(f.remediation for f in group if f.remediation))
    blocks = [
        issue, rule,
        Paragraph([Span(tr.msg("Application."), "em"), Span(" " + tr.msg(
            "The rule reaches {items} items in the same way; the reasoning for the first is set out below, and "
            "the JSON assessment holds every item's facts and chain.", items=len(group)))]),
        chain,
        Paragraph([Span(tr.msg("Conclusions."), "em"), Span(" " + tr.msg("{items} items:", items=len(group)))]),
        Bullets([text(tr(f.conclusion)) for f in group]),
    ]
    if len(remedies) == 1:
        blocks.append(Paragraph([Span(tr.msg("Remediation."), "em"), Span(" " + tr(remedies[0]))]))
    elif remedies:
        blocks += [Paragraph([Span(tr.msg("Remediation."), "em")]), Bullets([text(tr(r)) for r in remedies])]
    f = group[0]
    return Finding(f.id, f.status, tr.msg("{rule} — {status} ({items} items)", rule=f.rule_id,
                                          status=_status_title(tr, f.status), items=len(group)), 4, blocks)


def _discussion(a: Assessment, tr: Translator) -> Section:
    blocks: list = []
    for j in a.jurisdictions_assessed:
        found = [f for f in a.findings if f.jurisdiction == j]
        if not found:
            continue
        blocks.append(Heading(_name(a, j, tr), 2))
        for area in AREAS:
            in_area = [f for f in found if f.area == area]
            if in_area:
                blocks.append(Heading(tr(AREA_TITLES[area]), 3))
                blocks += [_finding(group[0], tr) if len(group) == 1 else _grouped_finding(group, tr)
                           for group in _alike(in_area, lambda f: (f.rule_id, f.status))]
    if not blocks:
        blocks.append(Paragraph(text(tr.msg("No rule of the rule base applied to this deal."))))
    return Section(tr.msg("Discussion"), blocks)


def _bound(tr: Translator, value: float, se: float, upper: float) -> str:
    return tr.msg("{value:.2%} ± {se:.2%} (≤ {upper:.2%})", value=value, se=se, upper=upper)


def _risk(a: Assessment, tr: Translator) -> Section:
    r = a.risk
    title = tr.msg("Risk analysis")
    if r is None:
        return Section(title, [Paragraph(text(tr.msg("The numeric risk analysis was not run for this memo.")))])
    currency = a.deal.currency
    figures = dict(paths=tr.count(r.paths), seed=r.seed, periods=r.periods_per_year)
    opening = (tr.msg("The figures below come from {paths} simulated paths (seed {seed}, {periods} periods a year) under "
                      "the {stress} stress.", stress=tr(r.stress), **figures) if r.stress else
               tr.msg("The figures below come from {paths} simulated paths (seed {seed}, {periods} periods a year).", **figures))
    blocks: list = [Paragraph(text(opening + " " + tr.msg(
        "They are estimates with the standard errors shown; beside each default probability and "
        "expected loss, in brackets, is a one-sided upper confidence bound at the 95 per cent level, which holds however "
        "few defaults the paths showed (exact Clopper-Pearson for default probabilities, the Chernoff-Hoeffding bound "
        "for expected losses). The standard errors of the coverage quantiles and of the enhancement come from the "
        "order-statistic interval of a quantile, that of the trigger rate from the binomial. The assumptions and their "
        "sources are listed at the end of this section.")))]
    blocks.append(Heading(tr.msg("Screening"), 2))
    blocks.append(Table([tr.msg("Patent"), tr.msg("Office"), tr.msg("Score"), tr.msg("In the modelled pool"), tr.msg("Defects")], [
        [text(s.number), text(s.office), text(f"{s.score:.0f}"),
         text(tr.msg("kept at the client's request") if s.kept_by_user else (tr.msg("no") if s.excluded else tr.msg("yes"))),
         text(tr.msg("; ").join(tr(str(x["reason"])) for x in s.defects) or tr.msg("none"))] for s in r.screening]))
    if r.classes:
        blocks.append(Figure("fan", tr.msg("Royalty fan chart"), tr.msg(
            "Simulated collections per period over {paths} paths (seed {seed}): the median, the band between the 5th "
            "and 95th percentiles, the mean and the contractual expectation, in {currency}.",
            paths=tr.count(r.paths), seed=r.seed, currency=currency)))
    blocks.append(Heading(tr.msg("The notes"), 2))
    blocks.append(Table(
        [tr.msg("Class"), tr.msg("Balance ({currency})", currency=currency), tr.msg("Default probability"),
         tr.msg("Expected loss"), tr.msg("Weighted average life (years)"), tr.msg("Paid by a wrap")],
        [[text(c.id), text(tr.money(c.balance)), text(_bound(tr, c.pd, c.pd_se, c.pd_upper_95)),
          text(_bound(tr, c.expected_loss, c.expected_loss_se, c.expected_loss_upper_95)),
          text(tr.msg("{wal:.2f} ± {se:.2f}", wal=c.wal_years, se=c.wal_se)), text(tr.pct(c.wrap_reliance))] for c in r.classes]))
    for c in r.classes:
        if c.residual:
            blocks.append(Paragraph(text(tr.msg(
                "The residual class {cls} is owed no coupon or principal, so it cannot default: it receives what is "
                "left after every other step, on average {multiple:.2f} times its investment; "
                "the share of its investment not returned averages {loss:.2%}.",
                cls=c.id, multiple=c.distributions_multiple or 0.0, loss=c.expected_loss))))
    if r.classes:
        blocks.append(Figure("losses", tr.msg("Loss distribution"),
                             tr.msg("Principal lost across all classes, over {paths} paths.", paths=tr.count(r.paths))))
    if r.dscr_min_p5 is not None:
        blocks.append(Paragraph(text(tr.msg(
            "Coverage: the lowest debt-service coverage on a path is {p5:.2f}x or less on one path in "
            "twenty (s.e. {p5_se:.2f}x; median {p50:.2f}x, s.e. {p50_se:.2f}x); "
            "rapid amortisation is triggered on {trigger:.2%} ± {trigger_se:.2%} of paths.",
            p5=r.dscr_min_p5, p5_se=r.dscr_min_p5_se, p50=r.dscr_min_p50, p50_se=r.dscr_min_p50_se,
            trigger=r.trigger_rate, trigger_se=r.trigger_rate_se))))
    if r.enhancement:
        blocks.append(Paragraph(text(enhancement_sentence(r.enhancement, currency, tr))))
    if r.stresses:
        blocks.append(Heading(tr.msg("Stresses"), 2))
        blocks.append(Table([tr.msg("Stress"), tr.msg("Senior default probability"), tr.msg("Senior expected loss")], [
            [text(tr(s.description)), text(_bound(tr, s.senior_pd, s.senior_pd_se, s.senior_pd_upper_95)),
             text(tr.pct(s.senior_expected_loss))]
            for s in r.stresses]))
    if r.selection:
        s = r.selection
        blocks.append(Heading(tr.msg("Pool selection"), 2))
        chosen = dict(why=tr(s.why), chosen=", ".join(s.chosen_licences) or tr.msg("none"),
                      chosen_el=s.chosen_senior_el, all_el=s.take_all_senior_el)
        blocks.append(Paragraph(text(
            tr.msg("{why}. Chosen licences: {chosen}; dropped: {dropped}. Senior expected loss per unit of collateral "
                   "{chosen_el:.2%} against {all_el:.2%} taking every licence.", dropped=", ".join(s.dropped_licences), **chosen)
            if s.dropped_licences else
            tr.msg("{why}. Chosen licences: {chosen}. Senior expected loss per unit of collateral {chosen_el:.2%} against "
                   "{all_el:.2%} taking every licence.", **chosen))))
        blocks.append(Table([tr.msg("Largest share by"), tr.msg("Limit"), tr.msg("Taking every licence"), tr.msg("Chosen pool")], [
            [text(tr(k)), text(tr.pct(limit)), text(tr.pct(s.take_all_top_shares.get(k, 0.0))), text(tr.pct(s.chosen_top_shares.get(k, 0.0)))]
            for k, limit in s.limits.items()]))
    blocks.append(Heading(tr.msg("Risk assumptions"), 2))
    blocks.append(Bullets([text(tr.msg("{key}: {value}", key=tr(key), value=tr(value))) for key, value in r.assumptions.items()]))
    return Section(title, blocks)


def enhancement_sentence(e, currency: str, tr: Translator = ENGLISH) -> str:
    """The sizing result, as the memo and the command line state it."""
    head = tr.msg("Enhancement: for a senior default probability of {target:.2%} ({source}), and ignoring any wrap, ",
                  target=e.target_senior_pd, source=tr(e.target_source))
    if not e.achievable:
        return head + tr.msg(
            "no senior balance meets the target: even a senior class of almost nothing defaults on "
            "{smallest:.2%} of paths, those on which collections stop before its schedule ends (the pool's "
            "own failure, which subordination cannot cure). Meeting the target needs a reserve funded at closing, a cash "
            "trap or faster amortisation, or support from a creditworthy third party; "
            "the structure has {current:.2%} enhancement against the present value of expected royalties "
            "({pv} {currency}).", smallest=e.smallest_senior_pd, current=e.current_enhancement,
            pv=tr.money(e.expected_collections_pv), currency=currency)
    return head + tr.msg(
        "the senior class can be at most {max} {currency} (s.e. {max_se}): "
        "the structure needs {required:.2%} ± {required_se:.2%} enhancement against the "
        "present value of expected royalties ({pv} {currency}); it has {current:.2%}.",
        max=tr.money(e.max_senior_balance), currency=currency, max_se=tr.money(e.max_senior_balance_se),
        required=e.required_enhancement, required_se=e.required_enhancement_se, pv=tr.money(e.expected_collections_pv),
        current=e.current_enhancement)


def _vehicle(v, currency: str, tr: Translator) -> Inline:
    return text(vehicle_sentence(v, currency, tr))


def vehicle_sentence(v, currency: str, tr: Translator = ENGLISH) -> str:
    """One vehicle of the advisor's ranking, as the memo and the command line state it."""
    if not v.available:
        return tr.msg("Not available: {vehicle} — {reason}", vehicle=tr(v.name), reason=tr(v.reason))
    name = tr(v.name)
    parts = [tr.msg("Rank {rank}. {vehicle} (the form the deal uses): ", rank=v.rank, vehicle=name) if v.current
             else tr.msg("Rank {rank}. {vehicle}: ", rank=v.rank, vehicle=name)]
    if not v.tested:
        parts.append(tr.msg("never yet used for IP receivables, so ranked after the forms in use; "))
    parts.append(tr.msg("no requirement fails") if v.fails == 0 else tr.msg("{fails} requirement(s) fail", fails=v.fails))
    parts.append(tr.msg(", {risks} risk(s) remain", risks=v.risks))
    if v.remaining:
        shown = tr.msg("; ").join(tr(x) for x in v.remaining[:4]) + (tr.msg("; ...") if len(v.remaining) > 4 else "")
        parts.append(tr.msg(" ({remaining})", remaining=shown))
    if v.tax_leakage is not None:
        detail = [tr.msg("{kind} {amount}", kind=k.replace("_", " ") if tr.english else tr(k), amount=tr.money(x))
                  for k, x in v.tax_detail.items() if x]
        parts.append(tr.msg("; about {tax} {currency} of tax over the deal's life", tax=tr.money(v.tax_leakage), currency=currency)
                     + (tr.msg(" ({detail})", detail=tr.msg(", ").join(detail)) if detail else ""))
    parts.append(tr.msg("; {steps} regulatory or formation step(s)", steps=len(v.steps)))
    if v.companion_changes:
        parts.append(tr.msg("; it needs {changes}", changes=tr.msg(" and ").join(tr(c) for c in v.companion_changes)))
    parts.append(tr.msg(". Investors: {investors}", investors=tr(v.investors)))
    return "".join(parts)


def _pd_move(before, after, tr: Translator = ENGLISH) -> str:
    if before.senior_pd is None or after.senior_pd is None:
        return "—"
    return tr.msg("{before:.2%} → {after:.2%}", before=before.senior_pd, after=after.senior_pd)


def _advice(a: Assessment, tr: Translator) -> Section:
    title = tr.msg("Recommended vehicle and remediation")
    advice = a.advice
    if advice is None:
        return Section(title, [Paragraph(text(tr.msg("The advisor was not run for this memo.")))])
    currency = a.deal.currency
    blocks: list = []
    best = next((v for v in advice.vehicles if v.rank == 1), None)
    if best:
        blocks.append(Paragraph(text(
            tr.msg("We recommend the {vehicle}, the form the deal already uses. The vehicles the deal's jurisdictions "
                   "offer, each assessed with this deal in it:", vehicle=tr(best.name)) if best.current else
            tr.msg("We recommend the {vehicle}. The vehicles the deal's jurisdictions offer, each assessed with this deal "
                   "in it:", vehicle=tr(best.name)))))
    elif advice.vehicles:
        blocks.append(Paragraph(text(tr.msg("None of the vehicles the deal's jurisdictions offer is available for this deal:"))))
    items = [_vehicle(v, currency, tr) for v in advice.vehicles] + [text(tr.msg("Not evaluated: {vehicle}", vehicle=tr(n)))
                                                                   for n in advice.not_evaluated]
    if items:
        blocks.append(Bullets(items))
    if advice.plan:
        blocks.append(Paragraph(text(tr.msg(
            "The remediation plan below is ordered by effect. Each step was applied to the deal and the deal assessed "
            "again; what it cures is the result of that re-assessment."))))
        blocks.append(Table([tr.msg("Step"), tr.msg("Change"), tr.msg("Cures"), tr.msg("Creates"), tr.msg("Senior default probability")], [
            [text(n), text(tr(p.title)), text(tr.msg("; ").join(tr(x) for x in p.diff.cured) or "—"),
             text(tr.msg("; ").join(tr(x) for x in p.diff.created) or "—"),
             text(_pd_move(p.diff.before, p.diff.after, tr))] for n, p in enumerate(advice.plan, start=1)]))
    else:
        blocks.append(Paragraph(text(tr.msg("No change the advisor knows cures a finding or lowers the senior default probability."))))
    if advice.insurance:
        i = advice.insurance
        before, after = i.diff.before.senior_pd, i.diff.after.senior_pd
        if before is not None and after is not None:
            blocks.append(Paragraph(text(tr.msg(
                "Insurance of the pool: to {change} would move the senior default probability "
                "from {before:.2%} to {after:.2%}, net of the insurer's own default risk.",
                change=_lower_first(tr(i.title)), before=before, after=after))))
    return Section(title, blocks)


def _lower_first(value: str) -> str:
    return f"{value[:1].lower()}{value[1:]}"


def _qualifications(a: Assessment, tr: Translator) -> Section:
    items = [
        [Span(tr.msg("This memorandum applies the law in force on {day} as recorded in ipsa's knowledge base; "
                     "citations marked ", day=a.as_of.isoformat())), Span(tr.msg("[unverified]"), "unverified"),
         Span(tr.msg(" rest on secondary sources and must be checked against the official text before reliance."))],
        text(tr.msg("The facts are those submitted in the deal description; unstated covenants are treated as absent.")),
    ]
    if a.risk is not None:
        items.append(text(tr.msg("Risk figures are Monte Carlo estimates under the stated assumptions, with their standard errors.")))
    items.append(text(tr.msg("Jurisdictions the rule base does not yet cover are listed above as not assessed.")))
    return Section(tr.msg("Assumptions and qualifications"), [Bullets(items)])


def _authorities(a: Assessment, tr: Translator, quotes: bool = False) -> Section:
    """The table of authorities; in the law's own language its original title comes first."""
    rows = []
    for c in a.authorities():
        original = [Span(c.title_original, lang=LANGUAGES.get(c.instrument[:2], "en"))]
        english = [Span(c.title_en, href=c.source)]
        own = not tr.english and LANGUAGES.get(c.instrument[:2]) == tr.language
        first, second = ([Span(c.title_original, href=c.source, lang=tr.language)], [Span(c.title_en, lang="en")]) if own \
            else (english, original)
        rows.append([first, text(tr.term(c.article) if c.article else "—"), second,
                     text(tr.msg("yes")) if c.verified else text(tr.msg("unverified"), "unverified")])
    header = [tr.msg("Instrument"), tr.msg("Article"), tr.msg("Original title") if tr.english else tr.msg("Other title"),
              tr.msg("Verified")]
    if quotes:
        header.append(tr.msg("The source's words"))
        for row, c in zip(rows, a.authorities()):
            row.append([Span(c.quote, lang=LANGUAGES.get(c.instrument[:2], "en")), Span(tr.msg(" (read: {read})", read=c.read))]
                       if c.verified else text(tr.msg("Not verified: {reason}", reason=tr(c.unverified_reason))))
    return Section(tr.msg("Table of authorities"), [Table(header, rows)])


def cash_flow_summary(flows, tr: Translator = ENGLISH) -> tuple[list[str], list[list[float | None]]]:
    """The log's columns grouped for reading: per period, collections, fees and premiums, interest, principal, the
    reserve's net movement, what left at the residual step, the debt outstanding and the coverage ratio."""
    index = {c: i for i, c in enumerate(flows.columns)}

    def total(row, test) -> float:
        return sum(row[i] for c, i in index.items() if test(c))

    header = [tr.msg("Period end"), tr.msg("Collections"), tr.msg("Fees and premiums"), tr.msg("Interest"),
              tr.msg("Principal"), tr.msg("To (+) or from (−) reserve"), tr.msg("Residual or released"),
              tr.msg("Debt outstanding"), tr.msg("Coverage")]
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


def _cash_flow_appendix(a: Assessment, tr: Translator) -> list[Section]:
    flows = a.risk.cash_flows if a.risk else None
    if flows is None:
        return []
    header, rows = cash_flow_summary(flows, tr)
    body = [[text(r[0])] + [text(tr.money(v)) for v in r[1:-1]]
            + [text("—" if r[-1] is None else tr.msg("{value:.2f}x", value=r[-1]))] for r in rows]
    return [Section(tr.msg("Appendix: cash flows on the mean path"), [
        Paragraph(text(tr.msg(
            "The priority of payments run on the mean of the {paths} simulated paths' collections, every "
            "wrap provider standing, in {currency}. In every period the sources of cash (collections, draws on "
            "the reserve and on wraps) equal its uses (largest difference "
            "{check}). The full log, one column per fee, class and covenant, is written by "
            "`ipsa cashflows` as CSV or XLSX, for the mean path or any simulated path.",
            paths=tr.count(a.risk.paths), currency=a.deal.currency, check=tr.money(flows.check)))),
        Table(header, body)])]


def _trace_rows(trace, tr: Translator = ENGLISH) -> list[list[Inline]]:
    """One row per rule firing; a rule that fired GROUP_AT times or more in one step is one row with the count and
    its first few facts (the JSON assessment lists every firing)."""
    def ids(values: list[str], shown: int = 6) -> str:
        return ", ".join(values[:shown]) + (tr.msg(" and {more} more", more=len(values) - shown) if len(values) > shown else "")

    rows = []
    for firings in _alike(trace, lambda t: (t.step, t.rule_id)):
        t = firings[0]
        if len(firings) == 1:
            rows.append([text(t.step), text(t.rule_id), text(", ".join(t.matched)), text(", ".join(t.produced))])
        else:
            rows.append([text(t.step), text(tr.msg("{rule} ({firings} firings)", rule=t.rule_id, firings=len(firings))),
                         text(ids([m for f in firings for m in f.matched])),
                         text(ids([p for f in firings for p in f.produced]))])
    return rows


def _trace(a: Assessment, tr: Translator) -> Section:
    blocks: list = [Paragraph([
        Span(tr.msg("ipsa {version}; rule base version {rules}; knowledge base digest {digest}; input {source}, SHA-256 ",
                    version=a.ipsa_version, rules=a.rule_base_version, digest=a.knowledge_base_digest[:16], source=a.source)),
        Span(a.input_sha256, "code"), Span(tr.msg("."))])]
    o = a.options
    if o is not None:
        if not o.risk:
            risk = tr.msg("no risk analysis")
        elif o.stress:
            risk = tr.msg("risk analysis on {paths} paths, seed {seed}, {stress} stress", paths=tr.count(o.paths or 0),
                          seed=o.seed, stress=tr(o.stress))
        else:
            risk = tr.msg("risk analysis on {paths} paths, seed {seed}", paths=tr.count(o.paths or 0), seed=o.seed)
        blocks.append(Paragraph(text(
            tr.msg("Run options: law as of {day}; {risk}; with the advisor.", day=o.as_of.isoformat(), risk=risk) if o.advice
            else tr.msg("Run options: law as of {day}; {risk}; without the advisor.", day=o.as_of.isoformat(), risk=risk))))
    blocks.append(Table([tr.msg("Step"), tr.msg("Rule"), tr.msg("Matched"), tr.msg("Produced")], _trace_rows(a.trace, tr)))
    if a.displaced:
        blocks.append(Paragraph(text(tr.msg("Displaced by a more specific rule: {items}.", items=tr.msg("; ").join(
            tr.msg("{rule} ({finding}) by {by}", rule=x.rule_id, finding=x.finding_id, by=x.by_rule) for x in a.displaced)))))
    return Section(tr.msg("Appendix: rule trace"), blocks)
