"""Vietnam — bankruptcy remoteness.

Registration with IP Viet Nam is a condition of an assignment's effect (VN-BR-001 -> 002 -> 003). An assignment of
royalties binds the licensee only once it is notified in writing (VN-BR-005 -> 006). Nothing protects a licensee
when the licensor fails (VN-BR-007), and a licence binds third parties only once registered (VN-BR-013).
"""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import (
    Law, backup_servicer, commingling, notice_chain, patent_term, registration_chain, true_sale, undervalue_clawback,
)

ESTATE = Law((cite("VN-BANKRUPTCY-LAW"),),
             "Under the Law on Bankruptcy the assets of the insolvent enterprise, including property it still owns in law, are "
             "gathered to pay its creditors; a patent whose assignment has not taken effect is still the transferor's.")


def _no_licensee_protection(x):
    flow = x.flow
    yield Find("risk", flow["licence"],
               f"Licence {flow['licence']} was granted by the originator. Vietnamese bankruptcy law gives a licensee no protection "
               "like US §365(n) if the licensor fails; the licence can fall with the originator and the royalties with it.")


def _licence_unregistered(x):
    flow = x.flow
    if "VN" not in flow["patent_offices"]:
        return
    if "VN" in flow["recorded_offices"]:
        yield Find("pass", flow["licence"], f"Licence {flow['licence']} is registered with IP Viet Nam and binds third parties.")
    else:
        yield Find("risk", flow["licence"],
                   f"Licence {flow['licence']} of VN patents is not registered with IP Viet Nam, so it does not bind third parties, "
                   "such as a later owner of the patents.",
                   remediation="Register the licence contract with IP Viet Nam.")


RULES = [
    *registration_chain(
        "VN", "IP Viet Nam",
        effect=Law((cite("VN-IP-LAW", "138"), cite("VN-IP-LAW", "148")),
                   "Law on IP Arts 138 and 148(1): an industrial property right is assigned by written contract, and an "
                   "assignment of a registered right takes effect only once registered with the state IP authority."),
        estate=ESTATE,
        register="Register the assignment contract with IP Viet Nam before closing.",
    ),
    *notice_chain(
        "VN",
        notice=Law((cite("VN-CIVIL-CODE", "365"),),
                   "Civil Code Art 365: a creditor may assign a claim without the debtor's consent but must notify the debtor "
                   "in writing; a debtor not notified who pays the assignor is discharged."),
        exposure=Law((cite("VN-CIVIL-CODE", "365"), cite("VN-BANKRUPTCY-LAW")),
                     "Until written notice the licensee validly pays the originator (Civil Code Art 365); cash in the "
                     "originator's hands when it becomes insolvent is gathered for its creditors under the Law on Bankruptcy."),
    ),
    Rule(
        id="VN-BR-007",
        jurisdiction="VN",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement="A licence granted by the originator is not protected if the originator becomes bankrupt.",
        law=("The Law on Bankruptcy contains no rule keeping an IP licence alive against the licensor's insolvency, unlike US "
             "§365(n) or Japan's Bankruptcy Act Art 56."),
        citations=(cite("VN-BANKRUPTCY-LAW"),),
        remediation="Move the licensor position to the SPV (registered assignment of the patents) or size enhancement for the loss.",
        when=(On("flow", "royalty_flow", (this.licensor_country == "VN") & this.licensor_in_originator_group),),
        then=_no_licensee_protection,
    ),
    undervalue_clawback(
        "VN-BR-008", "VN",
        law=Law((cite("VN-BANKRUPTCY-LAW", "59"),),
                "Law on Bankruptcy Art 59: transactions of an insolvent enterprise in the six months before the court accepts the "
                "petition (eighteen months with related persons) that transfer assets below market price are void."),
        requirement="A transfer below market price within six months before the petition (eighteen with related persons) is void.",
        window_parameter="vn.bankruptcy.void_window_days",
        remediation="Pay a market price supported by an independent valuation; where the SPV is a related person, the window is eighteen months.",
    ),
    *true_sale(
        "VN", ("009", "010"),
        indicators=Law((cite("VN-CIVIL-CODE"),),
                       "The Civil Code governs the sale and assignment of property and claims; with no securitization statute, "
                       "whether a transfer is a sale or a secured financing is judged on its terms: recourse, repurchase, price and control."),
        consequence=Law((cite("VN-BANKRUPTCY-LAW"),),
                        "If the transfer is a financing, the assets remain the originator's and are gathered for its creditors "
                        "under the Law on Bankruptcy; the SPV would at most hold a security interest, effective against third "
                        "parties only if registered."),
    ),
    commingling(
        "VN-BR-011", "VN",
        law=Law((cite("VN-BANKRUPTCY-LAW"),),
                "Money in the originator's own accounts when it becomes insolvent is gathered for its creditors unless the SPV "
                "can show it is identifiably its own."),
    ),
    backup_servicer(
        "VN-BR-012", "VN",
        law=Law((cite("VN-BANKRUPTCY-LAW"),),
                "An insolvent servicer's contracts are handled in its bankruptcy, and nothing in Vietnamese law lets the SPV "
                "take over servicing without a contractual backup arrangement."),
    ),
    Rule(
        id="VN-BR-013",
        jurisdiction="VN",
        area="bankruptcy_remoteness",
        tags=("registration", "licensee_protection",),
        requirement="A licence of Vietnamese patents binds third parties only once registered with IP Viet Nam.",
        law="Law on IP Art 148(2): a licence of a registered industrial property right binds third parties only once registered.",
        citations=(cite("VN-IP-LAW", "148"),),
        remediation="Register each licence contract with IP Viet Nam.",
        when=(On("flow", "royalty_flow", this.payer_country == "VN"),),
        then=_licence_unregistered,
    ),
]

RULES.append(patent_term(
    "VN-BR-014", "VN",
    law=Law((cite("VN-IP-LAW", "93"),), "Law on IP Art 93: an invention patent is valid from grant until twenty years from filing."),
    after_expiry="After expiry the invention is free to use, and licence royalties for it fall away.",
))
