"""United States — bankruptcy remoteness.

Unlike CN, JP and VN, recording a patent assignment at the USPTO is not a condition of its effect: it protects
the assignee against a later purchaser (35 U.S.C. §261). A sale of royalty receivables ("accounts") must be
perfected by a UCC filing, or the seller's trustee can avoid it (US-BR-002 -> US-BR-003).
"""

import datetime as dt

from ipsa.engine.dates import add_months
from ipsa.engine.rulekit import Conclude, Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, backup_servicer, commingling, notice_chain, patent_term, true_sale, undervalue_clawback


def _recording(x):
    link = x.link
    months = int(x.param("us.patent.recording_grace_months"))
    transfer_date = x.as_of - dt.timedelta(days=link["days_since"])
    deadline = add_months(transfer_date, months)
    if x.as_of <= deadline:
        yield Find("info", link["patent"],
                   f"Transfer {link['transfer']} of US patent {link['patent_number']} is not yet recorded at the USPTO. Recorded by "
                   f"{deadline.isoformat()} ({months} months from its date), it prevails over any later purchaser; "
                   f"{(deadline - x.as_of).days} days remain.",
                   figures={"days_left": float((deadline - x.as_of).days)},
                   remediation="Record the assignment at the USPTO before the three months run out.")
    else:
        yield Find("risk", link["patent"],
                   f"Transfer {link['transfer']} of US patent {link['patent_number']} was not recorded at the USPTO within {months} "
                   "months. It is valid between the parties, but void against a later purchaser or mortgagee for value without "
                   "notice who acquires before it is recorded.")


def _perfection(x):
    r = x.rec
    if "ucc" in r["perfection_registries"]:
        yield Find("pass", r["licence"],
                   f"The sale of royalties under licence {r['licence']} is perfected by a UCC financing statement against the seller.")
        return
    yield Conclude("sale_of_accounts_unperfected", r["licence"],
                   f"The sale of royalty receivables under licence {r['licence']} has no UCC financing statement against the seller; "
                   "royalties under a patent licence are accounts, and a sale of accounts is perfected only by filing.",
                   {"transfer": r["transfer"]})


def _avoidable(x):
    u = x.unperfected
    yield Find("fail", u["about"],
               f"Because the sale of royalties under licence {u['about']} is unperfected, a bankruptcy trustee of the seller, "
               "holding the rights of a lien creditor, can avoid it; the receivables return to the estate and the SPV is an "
               "unsecured creditor.")


def _licensee_protection(x):
    flow = x.flow
    foreign = [o for o in flow["patent_offices"] if o != "US"]
    if not foreign:
        yield Find("pass", flow["licence"],
                   f"Licence {flow['licence']} is of US patents. If the originator-licensor goes bankrupt and rejects it, the "
                   "licensee may keep its rights for the term while paying the royalties (§365(n)), so the royalty stream can continue.")
    else:
        yield Find("risk", flow["licence"],
                   f"Licence {flow['licence']} covers {', '.join(foreign)} patents. §365(n) protects licensees of intellectual property "
                   "as the Code defines it, which does not reach foreign patents; if the originator rejects the licence in a US case, "
                   "the licensee's position, and the royalties, under those patents are not protected by it.",
                   remediation="Move the licensor position to the SPV, or take the foreign patents' licences from an SPV licensor.")


RULES = [
    Rule(
        id="US-BR-001",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("registration",),
        requirement="An assignment of a US patent should be recorded at the USPTO within three months to prevail over later purchasers.",
        law=("35 U.S.C. §261: patents are assignable in writing; an assignment is void against a later purchaser or mortgagee "
             "for value without notice unless recorded at the USPTO within three months of its date or before the later "
             "purchase. Recording decides priority; unlike in China, Japan or Vietnam it is not a condition of the transfer's effect."),
        citations=(cite("US-PATENT-ACT", "261"),),
        remediation="Record the assignment at the USPTO at once.",
        when=(On("link", "title_link", (this.office == "US") & ~this.registered),),
        parameters=("us.patent.recording_grace_months",),
        then=_recording,
    ),
    Rule(
        id="US-BR-002",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("perfection",),
        requirement="A sale of patent-licence royalties by a US seller is perfected only by a UCC financing statement.",
        law=("UCC Article 9 applies to sales of accounts (§9-109(a)(3)); royalties for licensed property are accounts "
             "(§9-102(a)(2)); unlike payment intangibles (§9-309(3)) a sale of accounts does not perfect automatically, so a "
             "financing statement must be filed in the seller's location."),
        citations=(cite("US-UCC-9", "9-109"), cite("US-UCC-9", "9-102"), cite("US-UCC-9", "9-309")),
        remediation="File a UCC-1 financing statement against the seller in its state of organisation, describing the sold royalties.",
        when=(On("rec", "receivable", this.seller_country == "US"),),
        then=_perfection,
    ),
    Rule(
        id="US-BR-003",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("perfection",),
        requirement="An unperfected sale of royalties can be avoided by the seller's bankruptcy trustee.",
        law=("11 U.S.C. §544(a) gives the trustee the rights of a lien creditor at the petition date, which defeat an unperfected "
             "buyer of accounts; the receivables then fall into the estate (§541)."),
        citations=(cite("US-BANKRUPTCY-CODE", "544"), cite("US-BANKRUPTCY-CODE", "541")),
        remediation="File the UCC-1 before the seller's insolvency; a filing within the preference period may itself be attacked.",
        when=(On("unperfected", "sale_of_accounts_unperfected"),),
        then=_avoidable,
    ),
    Rule(
        id="US-BR-004",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement="A licensee of US patents keeps its licence if the bankrupt licensor rejects it; foreign patents are not covered.",
        law=("11 U.S.C. §365(n): when a debtor-licensor rejects a licence of intellectual property, the licensee may retain its "
             "rights for the term and keeps paying royalties; §101(35A) defines intellectual property by reference to title 35 "
             "patents, which leaves out foreign patents. Rejection is a breach, not a rescission (Tempnology)."),
        citations=(cite("US-BANKRUPTCY-CODE", "365(n)"), cite("US-BANKRUPTCY-CODE", "101(35A)"), cite("US-CASE-TEMPNOLOGY")),
        remediation="Where foreign patents are licensed, move the licensor position to the SPV or size enhancement for the loss.",
        when=(On("flow", "royalty_flow", (this.licensor_country == "US") & this.licensor_in_originator_group),),
        then=_licensee_protection,
    ),
    *notice_chain(
        "US",
        notice=Law((cite("US-UCC-9", "9-406"),),
                   "UCC §9-406(a): until the licensee receives notice of the assignment telling it to pay the assignee, it "
                   "discharges its debt by paying the assignor; an anti-assignment term does not stop the assignment."),
        exposure=Law((cite("US-UCC-9", "9-406"), cite("US-BANKRUPTCY-CODE", "541")),
                     "Before notice the licensee pays the originator with full effect (UCC §9-406(a)); cash the originator holds "
                     "when it files, and cannot be traced to the SPV, is property of its estate (11 U.S.C. §541)."),
    ),
    *true_sale(
        "US", ("007", "008"),
        indicators=Law((cite("US-CASE-MAJORS-FURNITURE"), cite("US-UCC-9", "9-318")),
                       "Courts look past the label to the substance: where the seller keeps the risk of loss through recourse, "
                       "the transfer is a secured loan (Major's Furniture Mart). A seller of accounts keeps no interest in what "
                       "it has truly sold (UCC §9-318(a))."),
        consequence=Law((cite("US-BANKRUPTCY-CODE", "541"), cite("US-CASE-OCTAGON-GAS")),
                        "If the transfer is a loan, the receivables are property of the seller's estate (11 U.S.C. §541); "
                        "Octagon Gas even read Article 9's inclusion of sold accounts as leaving them in the estate, a reading "
                        "Delaware's ABS Facilitation Act and UCC §9-318 answer for sales."),
    ),
    undervalue_clawback(
        "US-BR-009", "US",
        law=Law((cite("US-BANKRUPTCY-CODE", "548"),),
                "11 U.S.C. §548: the trustee may avoid a transfer made within two years before the petition for less than "
                "reasonably equivalent value while the debtor was insolvent or left with unreasonably small capital."),
        requirement="A transfer for less than reasonably equivalent value within two years before bankruptcy can be avoided.",
        window_parameter="us.bankruptcy.fraudulent_transfer_lookback_days",
        remediation="Support the price with an independent valuation and a solvency certificate from the seller.",
    ),
    commingling(
        "US-BR-010", "US",
        law=Law((cite("US-BANKRUPTCY-CODE", "541"),),
                "11 U.S.C. §541: the estate takes all the debtor's interests in property; collections mixed with the debtor's "
                "own cash can be claimed by the SPV only so far as they can be traced."),
    ),
    backup_servicer(
        "US-BR-011", "US",
        law=Law((cite("US-BANKRUPTCY-CODE", "365(a)"),),
                "11 U.S.C. §365(a): a bankrupt servicer may assume or reject its executory servicing contract, and the "
                "automatic stay keeps the SPV from simply replacing it."),
    ),
]

RULES.append(patent_term(
    "US-BR-012", "US",
    law=Law((cite("US-PATENT-ACT", "154"), cite("US-CASE-BRULOTTE"), cite("US-CASE-KIMBLE")),
            "35 U.S.C. §154: the term ends twenty years from filing. A licence that charges royalties for use after the "
            "patent expires is unenforceable as to those royalties (Brulotte v. Thys, reaffirmed in Kimble v. Marvel)."),
    after_expiry="Royalties for use after expiry cannot be enforced (Brulotte; Kimble), whatever the licence says.",
))
