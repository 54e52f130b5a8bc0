"""ipsa.reports: the memo's one content model (content.py), its renderers (Jinja2 templates for Markdown and HTML,
docx_memo.py, pdf_memo.py) and the rulebook.

Templates receive the Assessment (`a`) and the memo's content (`memo`); no legal text or figure is typed into a
template. HTML is autoescaped; Markdown escapes every text it is given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, meta, nodes, select_autoescape)
from markupsafe import Markup, escape

from ipsa.engine.assessment import AREAS
from ipsa.engine.issues import DealInputError, InputIssue
from ipsa.reports.content import AREA_TITLES, Span

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def md_escape(value: object) -> str:
    """Escape Markdown and HTML metacharacters so text renders as text in any Markdown viewer."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).splitlines()))


def md_inline(spans: list[Span]) -> str:
    out = []
    for s in spans:
        body = md_escape(s.text)
        if s.style == "em" and body:
            body = f"*{body}*"
        elif s.style == "strong" and body:
            body = f"**{body}**"
        elif s.style == "code":
            body = f"`{s.text}`"
        elif s.style == "unverified":  # brackets with no link after them are text: keep the mark readable
            body = body.replace("\\[", "[").replace("\\]", "]")
        out.append(body)
    return "".join(out)


def md_row(cells: list) -> str:
    """One Markdown table row; cells are spans or plain strings."""
    return "| " + " | ".join(md_escape(c) if isinstance(c, str) else md_inline(c) for c in cells) + " |"


_HTML_STYLES = {"em": "em", "strong": "strong", "code": "code"}


def html_inline(spans: list[Span]) -> Markup:
    out = []
    for s in spans:
        body = escape(s.text)
        if s.style in _HTML_STYLES:
            body = Markup("<{0}>{1}</{0}>").format(Markup(_HTML_STYLES[s.style]), body)
        elif s.style == "unverified":
            body = Markup('<span class="unverified">{}</span>').format(body)
        if s.href:
            body = Markup('<a href="{}">{}</a>').format(s.href, body)
        if s.lang:
            body = Markup('<span lang="{}">{}</span>').format(s.lang, body)
        out.append(body)
    return Markup("").join(out)


def css_string(value: object) -> Markup:
    """Text for a quoted CSS string (the printed page's footer): backslash, quote and angle bracket escaped."""
    return Markup(str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " "))


@lru_cache(maxsize=16)
def environment(template_dir: Path | None = None) -> Environment:
    """The templates: a firm's folder first, then the bundled ones (cached; changed files are reloaded)."""
    loaders = [PackageLoader("ipsa.reports", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_escape, md_inline=md_inline, md_row=md_row, inline=html_inline, css_string=css_string)
    return env


# The names each entry template is given (memo.render and render_rulebook pass exactly these): a firm's entry template
# that reads another name would fail only when rendered, after the assessment, so check_templates refuses it first.
MEMO_NAMES = ("a", "memo", "figures", "font_note", "chart_places")
RULEBOOK_NAMES = ("version", "rules", "by_jurisdiction", "contents", "areas", "area_titles", "jurisdiction_names",
                  "scenario_total", "tr", "msg", "language")
ENTRY_NAMES = {"memo.md.j2": MEMO_NAMES, "memo.html.j2": MEMO_NAMES, "rulebook.html.j2": RULEBOOK_NAMES}
BUNDLED = Path(__file__).resolve().parent / "templates"


def input_error(faults: list[tuple[str, int | None, str]]) -> Exception:
    """The bad-input error (a clear message, exit 2) for faults (file, line, message) in a firm's templates or DOCX."""
    return DealInputError([InputIssue(file, line, "", message) for file, line, message in faults])


def check_templates(folder: Path) -> None:
    """Refuse a firm's template folder before the assessment runs, not after it: every *.j2 in it must be UTF-8, compile
    in the memo's own environment (syntax, filters, tags), name only templates that exist in its includes, imports
    and extends, and, for an entry template, read only the names ipsa gives it. Raises DealInputError with one issue
    per faulty file (its path and line). What only rendering shows (a division by zero, endless includes) is
    reported by render_template."""
    if not folder.is_dir():
        raise input_error([(str(folder), None, "template folder not found")])
    env = environment(folder)
    files = sorted(p for p in folder.rglob("*.j2")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    faults = [fault for fault in (_template_fault(env, folder, path) for path in files) if fault]
    if faults:
        raise input_error(faults)


def _template_fault(env: Environment, folder: Path, path: Path) -> tuple[str, int | None, str] | None:
    """The first fault of one firm template (file, line, message), or None."""
    name, shown = path.relative_to(folder).as_posix(), str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (shown, None, f"template cannot be read: {exc.strerror or exc}")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return shown, line, f"template error: not UTF-8 text (byte 0x{data[exc.start]:02x})"
    try:
        env.get_template(name)  # compiled and cached as the render will use it
        tree = env.parse(source, name, shown)
    except TemplateSyntaxError as exc:  # and TemplateAssertionError: an unknown filter or test
        return shown, exc.lineno, f"template error: {_one_line(exc.message)}"
    except Exception as exc:  # the firm's text is all Jinja had (nesting too deep for the compiler, say)
        return shown, None, f"template error: {_one_line(str(exc))} ({type(exc).__name__})"
    for node in sorted(tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)),
                       key=lambda n: n.lineno):
        names = _static_names(node.template)
        if names and not getattr(node, "ignore_missing", False) and not any(_exists(env, n) for n in names):
            return shown, node.lineno, f"template error: {_not_found(names)}"
    known = ENTRY_NAMES.get(name)
    if known is not None:
        unknown = meta.find_undeclared_variables(tree) - set(known) - set(env.globals) - _guarded(tree)
        if unknown:
            line, first = min((n.lineno, n.name) for n in tree.find_all(nodes.Name) if n.name in unknown)
            return shown, line, f"template error: {first!r} is undefined; {name} is given {', '.join(known)}"
    return None


def _static_names(expr: nodes.Expr) -> list[str]:
    """The template names an include, import or extends gives as text (none when it computes them)."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, (nodes.List, nodes.Tuple)) and all(
            isinstance(i, nodes.Const) and isinstance(i.value, str) for i in expr.items):
        return [i.value for i in expr.items]
    return []


def _exists(env: Environment, name: str) -> bool:
    try:
        env.loader.get_source(env, name)
    except TemplateNotFound:
        return False
    except Exception:  # it exists; its own check says what is wrong with it
        return True
    return True


def _guarded(tree: nodes.Template) -> set[str]:
    """Names a template tests with `is defined` / `is undefined` or gives a `default`: absent, they do no harm."""
    tested = {t.node.name for t in tree.find_all(nodes.Test) if t.name in ("defined", "undefined")
              and isinstance(t.node, nodes.Name)}
    return tested | {f.node.name for f in tree.find_all(nodes.Filter) if f.name in ("default", "d")
                     and isinstance(f.node, nodes.Name)}


def _not_found(names: list[str]) -> str:
    listed = " or ".join(repr(n) for n in names)
    return f"no template named {listed} in the firm's folder or among ipsa's own"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def render_template(template_dir: Path | None, name: str, **context) -> str:
    """Render `name` from a firm's folder (checked first with check_templates) or the bundled templates. A fault
    raised while a firm template runs (an undefined name, a missing include, endless recursion, a division by zero)
    becomes a DealInputError naming that file and line; a fault in a bundled template is ipsa's bug and propagates."""
    env = environment(template_dir)
    if template_dir is None:
        return env.get_template(name).render(**context)
    check_templates(template_dir)
    try:
        return env.get_template(name).render(**context)
    except Exception as exc:  # RecursionError included
        fault = _firm_fault(exc, template_dir)
        if fault is None:
            raise
    raise input_error([fault])  # outside the handler: the thousand frames of a recursion are not kept


def _firm_fault(exc: Exception, folder: Path) -> tuple[str, int | None, str] | None:
    """The fault (file, line, message) of an exception whose innermost template is the firm's, else None. Jinja
    rewrites a template's frames so that each carries the template's file name and line."""
    firm, kinds = folder.resolve(), {}

    def kind(filename: str) -> str | None:
        if filename not in kinds:
            path = Path(filename)
            resolved = path.resolve() if path.is_file() else None
            kinds[filename] = ("firm" if resolved and resolved.is_relative_to(firm) else
                               "bundled" if resolved and resolved.is_relative_to(BUNDLED) else None)
        return kinds[filename]

    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno) if kind(exc.filename) == "firm" else None
    else:
        where, tb = None, exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            found = kind(filename)
            if found:
                where = (filename, tb.tb_lineno) if found == "firm" else None
            tb = tb.tb_next
    if where is None:
        return None
    if isinstance(exc, TemplateNotFound):
        message = _not_found(exc.templates)
    elif isinstance(exc, RecursionError):
        message = "templates include, import or call each other without end"
    elif isinstance(exc, TemplateError):
        message = _one_line(exc.message or "")
    else:
        message = f"{_one_line(str(exc))} ({type(exc).__name__})"
    return where[0], where[1], f"template error: {message}"


def render_rulebook(template_dir: Path | None = None, language: str = "en") -> str:
    """The whole rule base as one HTML document for a lawyer's review: each rule with its requirement, the law's
    gist, its citations (unverified ones marked), dated parameters, remediation and the scenarios that test it. In
    another language the rules' own texts and the document's words are translated; the instruments' research notes
    (gists) and the Gherkin scenarios, which are the tests' own text, stay in English, as the document says."""
    from ipsa.reports.i18n import Translator
    from ipsa.engine.jurisdiction import jurisdictions
    from ipsa.engine.scenarios import scenarios_by_rule
    from ipsa.knowledge_base import load as load_kb
    from ipsa.rules import all_rules, in_force_window, rulebase_version

    if template_dir is not None:  # before the rule base is read
        check_templates(template_dir)
    tr = Translator(language)
    kb = load_kb()
    scenarios = scenarios_by_rule()
    names = {j.code: j.name for j in jurisdictions()}  # in the jurisdictions' listing order
    order = list(names)
    rules = sorted(all_rules(), key=lambda r: (order.index(r.jurisdiction), AREAS.index(r.area), r.id))
    by_jurisdiction: dict[str, list[dict]] = {}
    for rule in rules:
        start, end = in_force_window(rule)
        window = (tr.msg("from {start}", start=start) if start else tr.msg("without a start date")) + (
            tr.msg(" until {end}", end=end) if end else "")
        by_jurisdiction.setdefault(rule.jurisdiction, []).append({
            "rule": rule, "window": window, "citations": [kb.resolve(ref) for ref in rule.citations],
            "parameters": [kb.parameters[pid] for pid in rule.parameters], "scenarios": scenarios.get(rule.id, ()),
        })
    contents = [(j, {area: [e for e in entries if e["rule"].area == area] for area in AREAS}) for j, entries in by_jurisdiction.items()]
    return render_template(
        template_dir, "rulebook.html.j2", version=rulebase_version(), rules=rules,
        by_jurisdiction=list(by_jurisdiction.items()), contents=contents, areas=AREAS,
        area_titles={k: tr(v) for k, v in AREA_TITLES.items()}, jurisdiction_names={k: tr(v) for k, v in names.items()},
        scenario_total=sum(len(s) for s in scenarios.values()), tr=tr, msg=tr.msg, language=language,
    )
