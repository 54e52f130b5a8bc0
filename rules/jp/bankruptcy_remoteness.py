"""Japan — bankruptcy remoteness.

Registration at the JPO is a condition of a patent transfer's effect (JP-BR-001 -> 002 -> 003). An assignment of
royalties binds the licensee on notice or consent (JP-BR-005 -> 006) and third parties, including the
originator's bankruptcy trustee, only with a certified date or a registration (JP-BR-007). A licensee is protected
against the licensor's trustee (JP-BR-008), unlike in China and Vietnam.
"""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import (
    Law, backup_servicer, commingling, notice_chain, patent_term, registration_chain, true_sale, undervalue_clawback,
)

ESTATE = Law((cite("JP-BANKRUPTCY-ACT", "34"),),
             "Bankruptcy Act Art 34: the bankruptcy estate is all the property the bankrupt holds when proceedings begin; a "
             "patent whose transfer has no effect still belongs to the transferor.")


def _third_parties(x):
    r = x.rec
    if r["notice_certified"] or "jp_claims_assignment_registry" in r["perfection_registries"]:
        how = "registered under the 1998 Act" if "jp_claims_assignment_registry" in r["perfection_registries"] else "by a notice with a certified date"
        yield Find("pass", r["licence"], f"The assignment of royalties under licence {r['licence']} is perfected against third parties {how}.")
    else:
        yield Find("risk", r["licence"],
                   f"The licensee under licence {r['licence']} was notified, but not by an instrument with a certified date, and the "
                   "assignment is not registered; it therefore does not bind third parties, so a later assignee or the originator's "
                   "bankruptcy trustee could prevail over the SPV.",
                   remediation="Re-serve the notice by content-certified mail (a certified date) or register the assignment under the 1998 Act.")


def _licensee_protected(x):
    flow = x.flow
    if "JP" not in flow["patent_offices"]:
        return
    yield Find("pass", flow["licence"],
               f"Licence {flow['licence']} of JP patents survives the licensor's bankruptcy: a non-exclusive licence is effective "
               "against third parties without registration (Patent Act Art 99), and the trustee cannot rescind a licence so "
               "perfected (Bankruptcy Act Art 56); the royalty stream continues.")


RULES = [
    *registration_chain(
        "JP", "the JPO",
        effect=Law((cite("JP-PATENT-ACT", "98"),),
                   "Patent Act Art 98(1): a transfer of a patent right other than by general succession, a change by trust and "
                   "a pledge have no effect unless registered at the JPO."),
        estate=ESTATE,
        register="Apply to the JPO to register the transfer before closing.",
    ),
    *notice_chain(
        "JP",
        notice=Law((cite("JP-CIVIL-CODE", "467"),),
                   "Civil Code Art 467(1): an assignment of a claim binds the debtor only once the assignor notifies it or it "
                   "consents."),
        exposure=Law((cite("JP-CIVIL-CODE", "467"), cite("JP-BANKRUPTCY-ACT", "34")),
                      "Until notice the licensee validly pays the originator (Civil Code Art 467(1)); cash in the originator's "
                      "hands when bankruptcy begins belongs to its estate (Bankruptcy Act Art 34)."),
    ),
    Rule(
        id="JP-BR-007",
        jurisdiction="JP",
        area="bankruptcy_remoteness",
        tags=("notice", "perfection",),
        requirement="An assignment of royalties binds third parties only by a notice with a certified date or by registration.",
        law=("Civil Code Art 467(2): the assignment can be set up against third parties other than the debtor only if the notice "
             "or consent is made by an instrument bearing a certified date; a corporation may instead register the assignment "
             "under the Act on Special Provisions concerning Perfection of Assignment of Movables and Claims (Act No. 104 of 1998)."),
        citations=(cite("JP-CIVIL-CODE", "467"), cite("JP-CLAIMS-TRANSFER-ACT")),
        remediation="Serve notice by content-certified mail or register the assignment in the claims-assignment registry.",
        when=(On("rec", "receivable", (this.payer_country == "JP") & this.notified),),
        then=_third_parties,
    ),
    Rule(
        id="JP-BR-008",
        jurisdiction="JP",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement="A licensee of Japanese patents keeps its licence if the licensor goes bankrupt.",
        law=("Patent Act Art 99 makes a non-exclusive licence effective against later acquirers without registration, and "
             "Bankruptcy Act Art 56 stops the licensor's trustee from rescinding a contract granting a use right so perfected."),
        citations=(cite("JP-PATENT-ACT", "99"), cite("JP-BANKRUPTCY-ACT", "56")),
        remediation="None needed for JP patents; confirm each licence covers only JP patents or check the other offices' law.",
        when=(On("flow", "royalty_flow", (this.licensor_country == "JP") & this.licensor_in_originator_group),),
        then=_licensee_protected,
    ),
    *true_sale(
        "JP", ("009", "010"),
        indicators=Law((cite("JP-CIVIL-CODE", "555"),),
                       "A sale transfers the property for a price (Civil Code Art 555); Japanese practice weighs the parties' "
                       "intent, the price, recourse and repurchase duties, and who controls the assets to decide whether a "
                       "securitization transfer is a sale or a secured financing."),
        consequence=Law((cite("JP-BANKRUPTCY-ACT", "34"),),
                        "If the transfer is a financing, the assets stay the originator's and enter its bankruptcy estate "
                        "(Bankruptcy Act Art 34); the SPV holds at most a security right."),
    ),
    undervalue_clawback(
        "JP-BR-011", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT"),),
                "The Bankruptcy Act lets the trustee avoid acts that harm creditors, including disposals of property at an "
                "undervalue; the articles were not confirmed for ipsa and are cited at instrument level."),
        requirement="A transfer well below value can be avoided by the originator's bankruptcy trustee.",
        window_parameter=None,
        remediation="Support the price with an independent appraisal and document the originator's solvency at transfer.",
    ),
    commingling(
        "JP-BR-012", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT", "34"),),
                "Bankruptcy Act Art 34: money in the originator's accounts when bankruptcy begins is estate property unless "
                "the SPV can show it is identifiably its own."),
    ),
    backup_servicer(
        "JP-BR-013", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT", "53"),),
                "Bankruptcy Act Art 53: the trustee of a bankrupt servicer chooses whether to perform or rescind a contract "
                "neither side has fully performed, such as the servicing agreement."),
    ),
]

RULES.append(patent_term(
    "JP-BR-014", "JP",
    law=Law((cite("JP-PATENT-ACT", "67"),), "Patent Act Art 67: a patent right lasts twenty years from filing, extendable where the Act allows."),
    after_expiry="After expiry the invention is free to use, and licence royalties for it fall away.",
))
