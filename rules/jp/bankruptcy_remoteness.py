"""Japan — bankruptcy remoteness.

Registration at the JPO is a condition of a patent transfer's effect (JP-BR-001 -> 002 -> 003). An assignment of
royalties binds the licensee on notice or consent (JP-BR-005 -> 006) and third parties, including the
originator's bankruptcy trustee, only with a certified date or a registration (JP-BR-007). A licensee is protected
against the licensor's trustee (JP-BR-008), unlike in China and Vietnam, if its licence is a non-exclusive licence or a
registered exclusive licence; an exclusive licence (senyo jisshiken) has no effect until registered. A Japanese seller's
transfer closes on a true-sale opinion under Japanese law as a matter of market practice (JP-BR-015).

Patent Act Arts 98 and 99, Civil Code Arts 467 and 555, Bankruptcy Act Arts 53 and 56 and the claims-transfer Act's Art 4
were read only at secondary sources; rules cite those instruments as a whole (knowledge_base/jp/instruments.yaml says
why). Patent Act Art 67 was read and is cited by article.
"""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import (
    Law, backup_servicer, commingling, notice_chain, patent_term, registration_chain, true_sale, undervalue_clawback,
)

ESTATE = Law((cite("JP-BANKRUPTCY-ACT", "34"),),
             N_("Bankruptcy Act Art 34(1): the bankruptcy estate is all the property the bankrupt holds when proceedings begin, "
             "in Japan or abroad; a patent whose transfer has no effect still belongs to the transferor."))

PATENT_ACT = cite("JP-PATENT-ACT")  # Arts 98, 99 read only at secondary sources: cited as a whole


def _third_parties(x):
    r = x.rec
    if r["notice_certified"] or "jp_claims_assignment_registry" in r["perfection_registries"]:
        how = N_("registered under the 1998 Act") if "jp_claims_assignment_registry" in r["perfection_registries"] else N_("by a notice with a certified date")
        yield Find("pass", r["licence"], msg("The assignment of royalties under licence {licence} is perfected against third parties "
                                             "{how}.", licence=r['licence'], how=how))
    else:
        yield Find("risk", r["licence"],
                   msg("The licensee under licence {licence} was notified, but not by an instrument with a "
                       "certified date, and the assignment is not registered; it therefore does not bind third "
                       "parties, so a later assignee or the originator's bankruptcy trustee could prevail over the "
                       "SPV.", licence=r['licence']),
                   remediation=msg("Re-serve the notice by content-certified mail (a certified date) or register the assignment under the 1998 Act."))


def _licensee_protected(x):
    flow = x.flow
    if "JP" not in flow["patent_offices"]:
        return
    lic = flow["licence"]
    right = flow["licence_right"]
    registered = "JP" in flow["recorded_offices"]
    live = (N_(" The licensor is in insolvency proceedings now, so this is not a hypothetical.")
            if flow["licensor_insolvent"] else "")
    if right == "non_exclusive_right":
        yield Find("pass", lic,
                   msg("Licence {lic} of JP patents is a non-exclusive licence (tsujo jisshiken): it is effective "
                       "against a later acquirer of the patents without registration (Patent Act Art 99), and the "
                       "licensor's bankruptcy trustee cannot rescind a use right so perfected (Bankruptcy Act Art "
                       "56); the royalty stream continues.", lic=lic) + live)
    elif right == "exclusive_right" and registered:
        yield Find("pass", lic,
                   msg("Licence {lic} is an exclusive licence (senyo jisshiken) registered with the JPO: it has "
                       "taken effect (Patent Act Art 98(1)(ii)) and, registered, is perfected against third "
                       "parties, so the licensor's bankruptcy trustee cannot rescind it (Bankruptcy Act Art 56); "
                       "the royalty stream continues.", lic=lic) + live)
    elif right == "exclusive_right":
        yield Find("fail", lic,
                   msg("Licence {lic} is stated to be an exclusive licence (senyo jisshiken) of JP patents but is "
                       "not recorded with the JPO. An exclusive licence has no effect until it is registered "
                       "(Patent Act Art 98(1)(ii)): the licensee holds at most a contractual licence, whose "
                       "standing as a non-exclusive licence protected by Art 99 is a question for counsel, and the "
                       "protection of a perfected use right in the licensor's bankruptcy (Bankruptcy Act Art 56) "
                       "is not shown.", lic=lic) + live,
                   remediation=msg("Register the exclusive licence with the JPO before closing, or document it as a non-exclusive "
                               "licence (with contractual exclusivity) and state that in the deal file."))
    else:
        yield Find("risk", lic,
                   msg("The deal does not say whether licence {lic} of JP patents is an exclusive licence (senyo "
                       "jisshiken), which takes effect only when registered with the JPO (Patent Act Art "
                       "98(1)(ii)), or a non-exclusive licence (tsujo jisshiken), which binds later acquirers "
                       "without registration (Art 99) and survives the licensor's bankruptcy (Bankruptcy Act Art "
                       "56). Whether the licence survives the licensor's bankruptcy turns on it.",
                       lic=lic)
                   + live,
                   remediation=msg("State each licence's right in the deal file (licences[].right: exclusive_right or "
                               "non_exclusive_right) and register any exclusive licence with the JPO."))


def _true_sale_opinion(x):
    t = x.t
    if t["true_sale_opinion"]:
        yield Find("pass", t["transfer"],
                   msg("A true-sale opinion under Japanese law covers transfer {transfer}, as rated Japanese "
                       "securitisations expect (market practice, not a statutory requirement).",
                       transfer=t['transfer']))
    else:
        yield Find("risk", t["transfer"],
                   msg("No true-sale opinion under Japanese law is recorded for transfer {transfer} from a "
                       "Japanese seller. Market practice (not statute) is to close on a reasoned opinion of "
                       "Japanese counsel that the transfer is a sale that takes the assets out of the seller's "
                       "bankruptcy estate (Bankruptcy Act Art 34), not a secured loan; rating agencies and "
                       "investors rely on it.", transfer=t['transfer']))


RULES = [
    *registration_chain(
        "JP", N_("the JPO"),
        effect=Law((PATENT_ACT,),
                   N_("Patent Act Art 98(1) (read only at secondary sources, so the Act is cited as a whole): a transfer of a "
                   "patent right other than by general succession, a change by trust, an exclusive licence and a pledge have "
                   "no effect unless registered at the JPO.")),
        estate=ESTATE,
        register=N_("Apply to the JPO to register the transfer before closing."),
    ),
    *notice_chain(
        "JP",
        notice=Law((cite("JP-CIVIL-CODE", "466"), cite("JP-CIVIL-CODE")),
                   N_("Civil Code Art 466: royalty claims may be assigned, even against a clause restricting assignment; but under "
                   "Art 467(1) (read only at secondary sources, so the Code is cited as a whole) the assignment binds the "
                   "debtor only once the assignor notifies it or it consents.")),
        exposure=Law((cite("JP-CIVIL-CODE"), cite("JP-BANKRUPTCY-ACT", "34")),
                      N_("Until notice the licensee validly pays the originator (Civil Code Art 467(1)); cash in the originator's "
                      "hands when bankruptcy begins belongs to its estate (Bankruptcy Act Art 34(1)).")),
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
        citations=(cite("JP-CIVIL-CODE"), cite("JP-CLAIMS-TRANSFER-ACT")),
        remediation="Serve notice by content-certified mail or register the assignment in the claims-assignment registry.",
        when=(On("rec", "receivable", (this.payer_country == "JP") & this.notified),),
        then=_third_parties,
    ),
    Rule(
        id="JP-BR-008",
        jurisdiction="JP",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement=("A licensee of Japanese patents keeps its licence if the licensor goes bankrupt only if the licence is a "
                     "non-exclusive licence or a registered exclusive licence; an exclusive licence has no effect until registered."),
        law=("Patent Act Art 98(1)(ii): an exclusive licence (senyo jisshiken) takes effect only on registration with the JPO; "
             "Art 99: a non-exclusive licence (tsujo jisshiken) is effective against later acquirers without registration. "
             "Bankruptcy Act Art 56: the licensor's trustee cannot rescind a contract granting a use right that is perfected "
             "against third parties. (These articles were read only at secondary sources; both Acts are cited as a whole.)"),
        citations=(PATENT_ACT, cite("JP-BANKRUPTCY-ACT")),
        remediation="State whether each licence of JP patents is exclusive or non-exclusive; register any exclusive licence with the JPO.",
        when=(On("flow", "royalty_flow", (this.licensor_country == "JP") & this.licensor_in_originator_group),),
        then=_licensee_protected,
    ),
    *true_sale(
        "JP", ("009", "010"),
        indicators=Law((cite("JP-CIVIL-CODE"),),
                       N_("A sale transfers the property for a price (Civil Code Art 555, read only at secondary sources; the Code "
                       "is cited as a whole); Japanese practice weighs the parties' "
                       "intent, the price, recourse and repurchase duties, and who controls the assets to decide whether a "
                       "securitization transfer is a sale or a secured financing.")),
        consequence=Law((cite("JP-BANKRUPTCY-ACT", "34"),),
                        N_("If the transfer is a financing, the assets stay the originator's and enter its bankruptcy estate "
                        "(Bankruptcy Act Art 34(1)); the SPV holds at most a security right.")),
    ),
    undervalue_clawback(
        "JP-BR-011", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT", "160"),),
                "Bankruptcy Act Art 160(1): once proceedings begin the trustee may avoid, for the estate, an act the bankrupt did "
                "knowing it would harm its creditors (unless the party who benefited did not know that) and an act harming "
                "creditors done after payments were suspended or a petition was filed; Art 160(3) reaches gratuitous acts (and "
                "acts equivalent to them) done after the suspension or within six months before it; Art 161 limits avoidance "
                "of a disposal for fair value to cases of concealment and the like. A transfer far below value harms creditors; Art 160(1)(i) sets no fixed look-back period."),
        requirement="A transfer well below value can be avoided by the originator's bankruptcy trustee.",
        window_parameter=None,
        remediation="Support the price with an independent appraisal and document the originator's solvency at transfer.",
    ),
    commingling(
        "JP-BR-012", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT", "34"),),
                "Bankruptcy Act Art 34(1): money in the originator's accounts when bankruptcy begins is estate property unless "
                "the SPV can show it is identifiably its own."),
    ),
    backup_servicer(
        "JP-BR-013", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT"),),
                "Bankruptcy Act Art 53 (read only at secondary sources; the Act is cited as a whole): the trustee of a "
                "bankrupt servicer chooses whether to perform or rescind a contract neither side has fully performed, such as "
                "the servicing agreement."),
    ),
]

RULES.append(patent_term(
    "JP-BR-014", "JP",
    law=Law((cite("JP-PATENT-ACT", "67"),), "Patent Act Art 67: a patent right lasts twenty years from filing, extendable "
                                           "where the Act allows."),
    after_expiry=N_("After expiry the invention is free to use, and licence royalties for it fall away."),
))

RULES.append(Rule(
    id="JP-BR-015",
    jurisdiction="JP",
    area="bankruptcy_remoteness",
    tags=("legal_opinion",),
    requirement=("A Japanese seller's transfer to the SPV closes on a true-sale opinion under Japanese law (market practice, "
                 "as in US practice; no statute requires it)."),
    law=("Market practice, not law: in Japanese securitisations a true sale is a major requirement for the vehicle's "
         "segregation from the originator (Chambers, Securitisation 2020 – Japan), and, as in US practice, rated deals close "
         "on a reasoned opinion of Japanese counsel that the transfer is a sale and the assets are outside the seller's "
         "bankruptcy estate (Bankruptcy Act Art 34(1)). The opinion practice itself was not confirmed at a source read."),
    citations=(cite("JP-PRACTICE-TRUE-SALE-OPINION"), cite("JP-BANKRUPTCY-ACT", "34")),
    remediation="Obtain a reasoned true-sale opinion of Japanese counsel covering the transfer and record it in the deal's opinions.",
    when=(On("t", "transfer", (this.seller_country == "JP") & this.from_originator & this.title_passes),),
    then=_true_sale_opinion,
))
