"""Vietnam — the vehicle: no trust and no securitization statute; a company SPV carries risk.

VN-SPV-002 and VN-SPV-003 rest on the Law on Rehabilitation and Bankruptcy of 2025 from 2026-03-01; VN-SPV-004 and
VN-SPV-005 state the same requirements under the Law on Bankruptcy of 2014, until 2026-02-28."""

import dataclasses

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, spv_separateness, vehicle_offered


def _company_not_remote(x):
    spv = x.spv
    yield Find("risk", spv["party"],
               msg("The SPV is an ordinary Vietnamese company. No Vietnamese statute isolates a securitization vehicle's assets or "
               "recognises a true sale into it, so bankruptcy remoteness rests on contract and on how separate the company is; "
               "a court has no securitization law to guide it."))


RULES = [
    vehicle_offered(
        "VN-SPV-001", "VN",
        law=Law((cite("VN-ENTERPRISES-LAW", "74"), cite("VN-SECURITIES-LAW")),
                "Vietnam has no trust law (no statute defines a trust, a trustee's duties or the ring-fencing of trust property) "
                "and no securitization statute. A company under the Law on Enterprises can act as the vehicle (Art 74: a one-member "
                "limited liability company is a legal person from registration, its owner liable only up to its charter capital, "
                "and it may issue bonds); a securities "
                "investment fund under the Law on Securities is a possible but untested alternative."),
        requirement="A Vietnamese SPV must be a form Vietnamese law offers: a company (or, untested, a fund); a trust is not available.",
        remediation="Use a limited liability company under the Law on Enterprises as the SPV, with the separateness protections "
                    "contract can give, or an offshore vehicle with a Vietnamese company holding the assets.",
    ),
    Rule(
        id="VN-SPV-002",
        jurisdiction="VN",
        area="spv_form",
        tags=("vehicle_form",),
        requirement="A Vietnamese company SPV is not made bankruptcy-remote by any statute.",
        law=("The Law on Enterprises lets a company hold the assets (a one-member limited liability company is a legal person, "
             "Art 74), but no Vietnamese law gives a securitization vehicle "
             "statutory isolation from the originator, and no statute recognises a true sale for securitization; no such rule is "
             "reported in the insolvency law (the Law on Rehabilitation and Bankruptcy of 2025, whose articles ipsa has not read)."),
        citations=(cite("VN-ENTERPRISES-LAW", "74"), cite("VN-REHAB-BANKRUPTCY-LAW")),
        remediation="Add every contractual protection (independent management, non-petition, limited recourse), obtain a "
                    "Vietnamese legal opinion, and size enhancement for the residual legal risk.",
        when=(On("spv", "spv", this.form == "vn_company"),),
        then=_company_not_remote,
    ),
    spv_separateness(
        "VN-SPV-003", "VN",
        law=Law((cite("VN-ENTERPRISES-LAW", "74"), cite("VN-REHAB-BANKRUPTCY-LAW")),
                "With no statute to isolate it, a Vietnamese SPV's only defence against being treated as part of the "
                "originator in its insolvency under the Law on Rehabilitation and Bankruptcy of 2025 is its actual independence: "
                "ownership, management, covenants and conduct."),
        requirement="A Vietnamese company SPV must be as independent of the originator as contract and corporate form allow.",
        why=N_("With no securitization statute, a Vietnamese SPV owned and run by the originator has nothing to set it apart in the originator's bankruptcy."),
    ),
]


def _earlier(rule: Rule, earlier_id: str) -> Rule:
    """The rule as it stood under the Law on Bankruptcy of 2014 (until 2026-02-28)."""
    cites = tuple(cite("VN-BANKRUPTCY-LAW") if ref.instrument == "VN-REHAB-BANKRUPTCY-LAW" else ref for ref in rule.citations)
    law = rule.law.replace("the Law on Rehabilitation and Bankruptcy of 2025, whose articles ipsa has not read",
                           "the Law on Bankruptcy of 2014").replace("Law on Rehabilitation and Bankruptcy of 2025",
                                                                    "Law on Bankruptcy of 2014")
    return dataclasses.replace(rule, id=earlier_id, citations=cites, law=law)


RULES += [_earlier(RULES[1], "VN-SPV-004"), _earlier(RULES[2], "VN-SPV-005")]
