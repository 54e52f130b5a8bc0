"""United Kingdom — registration of patent assignments gives priority over later acquirers."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, patent_term


def _priority(x):
    link = x.link
    yield Find("risk", link["patent"],
               f"Transfer {link['transfer']} of GB patent {link['patent_number']} is not registered at the UK IPO. It is valid "
               "between the parties if in writing and signed, but a later acquirer without notice who registers first takes "
               "free of it.")


RULES = [
    Rule(
        id="GB-BR-001",
        jurisdiction="GB",
        area="bankruptcy_remoteness",
        tags=("registration",),
        requirement="An assignment of a GB patent should be registered at the UK IPO to prevail over later acquirers.",
        law=("Patents Act 1977 s.30(6): an assignment is void unless in writing and signed by the assignor; s.33: a later "
             "acquirer without notice of an earlier unregistered transaction takes free of it."),
        citations=(cite("UK-PATENTS-ACT-1977", "30"), cite("UK-PATENTS-ACT-1977", "33")),
        remediation="Register the assignment at the UK IPO promptly.",
        when=(On("link", "title_link", (this.office == "GB") & ~this.registered),),
        then=_priority,
    ),
]

RULES.append(patent_term(
    "GB-BR-002", "GB",
    law=Law((cite("UK-PATENTS-ACT-1977", "25"),), "Patents Act 1977 s.25: a patent lasts twenty years from its date of filing, if renewed."),
    after_expiry="After expiry the invention is free to use, and licence royalties for it fall away.",
))
