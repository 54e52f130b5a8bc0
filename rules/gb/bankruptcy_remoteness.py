"""United Kingdom — registration of patent assignments gives priority over later acquirers."""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, patent_term


def _priority(x):
    link = x.link
    yield Find("risk", link["patent"],
               msg("Transfer {transfer} of GB patent {patent_number} is not registered at the UK IPO. It is "
                   "valid between the parties if in writing and signed, but a person who acquires the patent "
                   "under a later transaction while this one is unregistered, and without knowing of it, is "
                   "entitled to the patent as against the SPV (s.33(1)); the later acquirer need not register "
                   "first, and there is no grace period. Late registration (after six months) also costs the "
                   "SPV its costs in infringement proceedings for infringements before registration (s.68).",
                   transfer=link['transfer'], patent_number=link['patent_number']))


RULES = [
    Rule(
        id="GB-BR-001",
        jurisdiction="GB",
        area="bankruptcy_remoteness",
        tags=("registration",),
        requirement="An assignment of a GB patent should be registered at the UK IPO to prevail over later acquirers.",
        law=("Patents Act 1977 s.30(6) (current wording not read; cited unverified): an assignment is void unless in writing "
             "and signed by or on behalf of the assignor; s.33(1): a person claiming under a later transaction prevails if, at "
             "the time of that transaction, the earlier one was not registered and the later claimant did not know of it, "
             "with no grace period; s.68: a transaction not registered within six months of its date costs the owner or "
             "exclusive licensee its costs or expenses in proceedings for infringements before registration."),
        citations=(cite("UK-PATENTS-ACT-1977", "30"), cite("UK-PATENTS-ACT-1977", "33"), cite("UK-PATENTS-ACT-1977", "68")),
        remediation="Register the assignment at the UK IPO at once: every day it is unregistered a later acquirer without "
                    "knowledge can take priority, and registration within six months of its date preserves costs (s.68).",
        when=(On("link", "title_link", (this.office == "GB") & ~this.registered),),
        then=_priority,
    ),
]

RULES.append(patent_term(
    "GB-BR-002", "GB",
    law=Law((cite("UK-PATENTS-ACT-1977", "25"),), "Patents Act 1977 s.25: a patent lasts twenty years from its date of filing, if renewed."),
    after_expiry=N_("After expiry the invention is free to use, and licence royalties for it fall away."),
))
