"""China — bankruptcy remoteness: does the pool leave the originator's estate, and do the royalties follow it?

The central chain: an unregistered CNIPA assignment has not taken effect (CN-BR-001), so the SPV does not hold
title (CN-BR-002), so the patent stays in the originator's bankruptcy estate (CN-BR-003).
"""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import (
    Law, backup_servicer, commingling, notice_chain, patent_term, registration_chain, true_sale, undervalue_clawback,
)

PATENT_ART_10 = cite("CN-PATENT-LAW", "10")
ESTATE = Law((cite("CN-EBL", "30"),),
             N_("Enterprise Bankruptcy Law Art 30: the debtor's estate is all property belonging to it when the petition is "
             "accepted, and property it acquires before the procedure ends. A patent whose assignment has not taken effect "
             "still belongs to the transferor."))


def _trust_estate(x):
    t = x.trust
    yield Find(
        "risk", t["about"],
        msg("Because the trust over CN patent {patent_number} may have no effect, the separation of "
            "trust property from the settlor's estate (Trust Law Art 15) may not protect it; in the "
            "originator's insolvency the patent could be claimed for its estate.",
            patent_number=t['patent_number']),
    )


def _administrator_may_terminate(x):
    flow = x.flow
    if flow["licensor_insolvency_country"] == "CN":
        yield Find(
            "fail", flow["licence"],
            msg("PRC bankruptcy proceedings against the licensor {licensor} are open (the court having "
                "accepted the petition), so its administrator now holds the election under Enterprise "
                "Bankruptcy Law Art 18 over licence {licence}: it may continue the licence or terminate it, "
                "and its silence for two months after the court accepted the petition, or for 30 days after "
                "a demand, counts as termination. Unless the administrator has elected to continue, the "
                "royalty stream is not assured; on termination the licensee, and through it the SPV, is "
                "left with a damages claim in the bankruptcy (Art 53).",
                licensor=flow['licensor'], licence=flow['licence']),
            remediation=(msg("Demand the administrator's decision on the licence in writing (Art 18: 30 days' silence after a demand "
                         "is termination), and negotiate its continuation or a sale of the patents with the licences to the SPV, "
                         "which the administrator must report to the creditors' committee or the court (Art 69); until then size "
                         "the notes without these royalties.")),
        )
        return
    yield Find(
        "risk", flow["licence"],
        msg("Licence {licence} was granted by {licensor}, an originator-group company under Chinese "
            "insolvency law, and both sides still owe performance. If the licensor becomes bankrupt, "
            "its administrator may terminate the licence, and silence for two months after the petition "
            "is accepted counts as termination; Chinese law gives the licensee no protection like US "
            "Bankruptcy Code §365(n), so the royalty stream can stop. This follows the licensor's "
            "insolvency law, whatever the licensee's country ({payer_country} here).",
            licence=flow['licence'], licensor=flow['licensor'], payer_country=flow['payer_country']),
    )


RULES = [
    *registration_chain(
        "CN", "CNIPA",
        effect=Law((PATENT_ART_10,),
                   N_("Patent Law Art 10: an assignment of a patent right requires a written contract and registration with the "
                   "patent administration of the State Council, which announces it; the assignment takes effect on the date "
                   "of registration.")),
        estate=ESTATE,
        register=N_("Register the assignment with CNIPA and obtain the registration notice before closing."),
        estate_overrides=("CN-BR-004",),
    ),
    *notice_chain(
        "CN",
        notice=Law((cite("CN-CIVIL-CODE", "546"), cite("CN-CIVIL-CODE", "549")),
                   N_("Civil Code Art 546: an assignment of a claim has no effect on the debtor until the debtor is notified; "
                   "Arts 548-549 let the debtor keep its defences and set-off against the assignee.")),
        exposure=Law((cite("CN-CIVIL-CODE", "546"), cite("CN-EBL", "17"), cite("CN-EBL", "30")),
                     N_("Until notice (Civil Code Art 546) the licensee discharges itself by paying the originator; once the "
                     "originator is in bankruptcy its debtors pay the administrator (Enterprise Bankruptcy Law Art 17) and the "
                     "cash is part of its estate (Art 30).")),
    ),
    undervalue_clawback(
        "CN-BR-008", "CN",
        law=Law((cite("CN-EBL", "31"),),
                "Enterprise Bankruptcy Law Art 31: for acts within one year before the court accepts the petition, the "
                "administrator may ask the court to set aside transfers for no consideration or at a clearly unreasonable price."),
        requirement="A transfer at a clearly unreasonable price within one year before bankruptcy can be set aside.",
        window_parameter="cn.bankruptcy.clawback_window_days",
        remediation="Support the price with an independent appraisal and pay fair value, or hold back enhancement until the window closes.",
    ),
    *true_sale(
        "CN", ("009", "010"),
        indicators=Law((cite("CN-CSRC-2014-49"), cite("CN-EBL", "38")),
                       N_("The CSRC rules require underlying assets transferred to the plan with clear title; only property that "
                       "truly belongs to the SPV can be taken back from a bankrupt originator's hands (Enterprise Bankruptcy Law "
                       "Art 38). Recourse, repurchase duties, a low price and retained control of collections point to a financing.")),
        consequence=Law((cite("CN-EBL", "30"), cite("CN-EBL", "38")),
                        N_("If the transfer is in substance a loan, the assets still belong to the originator and form part of its "
                        "estate (Enterprise Bankruptcy Law Art 30); the SPV cannot take them back as owner under Art 38.")),
    ),
    commingling(
        "CN-BR-011", "CN",
        law=Law((cite("CN-EBL", "30"), cite("CN-EBL", "38")),
                "Enterprise Bankruptcy Law Art 38 lets an owner take back its property held by the debtor, but money "
                "mixed into the debtor's own accounts is hard to identify as another's; what cannot be identified falls into "
                "the estate (Art 30)."),
    ),
    backup_servicer(
        "CN-BR-012", "CN",
        law=Law((cite("CN-EBL", "18"),),
                "Enterprise Bankruptcy Law Art 18: the administrator of a bankrupt servicer decides whether to continue the "
                "servicing contract, and silence for two months counts as termination."),
    ),
    Rule(
        id="CN-BR-004",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("patent_in_trust",),
        requirement="Trust property is outside the settlor's estate only if the trust has taken effect.",
        law=("Trust Law Art 15 keeps trust property apart from the settlor's estate, but Art 10 denies effect to an "
             "unregistered trust over registrable property."),
        citations=(cite("CN-TRUST-LAW", "15"), cite("CN-TRUST-LAW", "10")),
        remediation="Avoid a patent-in-trust; use a licence-receivables special plan or a registered assignment.",
        when=(On("trust", "trust_may_have_no_effect"),),
        then=_trust_estate,
    ),
    Rule(
        id="CN-BR-007",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement=("A licence granted by an originator-group licensor subject to Chinese insolvency law can be terminated by "
                     "its administrator; Chinese law does not protect the licensee."),
        law=("Enterprise Bankruptcy Law Art 18: once the court accepts the petition, the administrator decides whether to continue "
             "or terminate contracts neither side has fully performed, and its silence for two months after acceptance, or for "
             "30 days after a demand, counts as termination; the other side is left with a damages claim in the bankruptcy "
             "(Art 53). The election belongs to the licensor's administrator, so the licensor's insolvency law decides: a Chinese "
             "licensor's licences are exposed whatever the licensee's country, a foreign licensor's are not, even where the "
             "licensee is Chinese. Where proceedings are already open, the administrator holds the election now."),
        citations=(cite("CN-EBL", "18"), cite("CN-EBL", "53"), cite("CN-EBL", "69"), PATENT_ART_10),
        remediation=("Move the licensor position to the SPV by a registered assignment of the patents (Patent Law Art 10) with the "
                     "licences assigned to it. An exclusive licence from the originator to the SPV, recorded with CNIPA with "
                     "sublicences from the SPV, is not a cure on its own: that head licence is itself a contract neither side has "
                     "fully performed, which the originator's administrator may terminate under Art 18, unless it is fully paid up "
                     "at signing and leaves the originator nothing further to perform (to be confirmed by PRC counsel). Size "
                     "enhancement for the loss of the stream."),
        when=(On("flow", "royalty_flow", (this.licensor_country == "CN") & this.licensor_in_originator_group),),
        then=_administrator_may_terminate,
    ),
]

RULES.append(patent_term(
    "CN-BR-013", "CN",
    law=Law((cite("CN-PATENT-LAW", "42"),),
            "Patent Law Art 42: an invention patent lasts twenty years from filing (utility models ten, designs fifteen), "
            "with term compensation for unreasonable examination delay and for new drugs."),
    after_expiry=N_("After expiry anyone may practise the invention, so licensees have no reason to keep paying for it."),
))


# -- legal opinions: market practice, not statute ---------------------------------------------------------------------

OPINION_PRACTICE = cite("CN-PRACTICE-ABS-OPINIONS", "legal-opinion")


def _true_sale_opinion(x):
    t = x.t
    if t["true_sale_opinion"]:
        yield Find("pass", t["transfer"],
                   msg("A true-sale opinion of PRC counsel covering transfer {transfer} is recorded (market "
                       "practice, not statute).", transfer=t['transfer']))
    else:
        yield Find("risk", t["transfer"],
                   msg("No true-sale opinion under PRC law is recorded for transfer {transfer}. In Chinese ABS "
                       "practice a PRC law firm's legal opinion is part of the exchange listing file, and it is "
                       "expected to confirm that the transfer is valid and a true sale, so that the assets stay "
                       "out of the originator's estate (Enterprise Bankruptcy Law Arts 30 and 38); it is a closing "
                       "condition of market practice, not of statute.", transfer=t['transfer']))


def _non_consolidation_opinion(x):
    spv, orig = x.spv, x.orig
    if spv["non_consolidation_opinion"]:
        yield Find("pass", spv["party"],
                   msg("A non-consolidation opinion under PRC law is recorded for the company SPV (market practice, not statute)."))
    else:
        yield Find("risk", spv["party"],
                   msg("The SPV is a Chinese company and no non-consolidation opinion under PRC law is recorded. "
                       "Nothing in statute isolates a company SPV from {party}; if the two were merged in "
                       "{party}'s bankruptcy, the SPV's assets would fall into its estate (Enterprise Bankruptcy "
                       "Law Art 30). Market practice asks counsel to opine against consolidation before closing; "
                       "this is practice, not a statutory requirement.", party=orig['party']))


RULES += [
    Rule(
        id="CN-BR-014",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("legal_opinion",),
        requirement="Market practice: a transfer by a Chinese originator to the SPV is covered at closing by a true-sale opinion of PRC counsel.",
        law=("Market practice, not statute: a PRC law firm's legal opinion is part of the exchange listing file for ABS, and "
             "practice expects it to confirm that the transfer of the underlying assets is a true sale, so that they are no "
             "longer the originator's property and stay outside its estate (Enterprise Bankruptcy Law Art 30) and the SPV "
             "could take them back from an administrator (Art 38)."),
        citations=(OPINION_PRACTICE, cite("CN-PRACTICE-ABS-OPINIONS", "true-sale"), cite("CN-EBL", "30"), cite("CN-EBL", "38")),
        remediation="Obtain a reasoned true-sale opinion from PRC counsel covering the transfer, dated at closing, and record it in the deal.",
        when=(On("t", "transfer", (this.seller_country == "CN") & this.from_originator & this.title_passes),),
        then=_true_sale_opinion,
    ),
    Rule(
        id="CN-BR-015",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("legal_opinion",),
        requirement="Market practice: where the SPV is a Chinese company, PRC counsel gives a non-consolidation opinion at closing.",
        law=("Market practice, not statute: no statute isolates a company SPV from its originator, so practice asks PRC "
             "counsel to opine that a court would not consolidate the SPV with the originator in the originator's "
             "bankruptcy, which would bring the SPV's assets into the originator's estate (Enterprise Bankruptcy Law Art 30)."),
        citations=(OPINION_PRACTICE, cite("CN-PRACTICE-ABS-OPINIONS", "non-consolidation"), cite("CN-EBL", "30")),
        remediation="Obtain a reasoned non-consolidation opinion from PRC counsel at closing and record it in the deal.",
        when=(On("spv", "spv", this.form == "cn_company"), On("orig", "originator", this.country == "CN")),
        then=_non_consolidation_opinion,
    ),
]


# -- loans and leases secured on IP (IP-pledge financing pools) ------------------------------------------------------

def _pledge_not_registered(x):
    loan = x.loan
    state = N_("is not registered") if loan["pledge_registered"] == "no" else N_("is not stated to be registered")
    yield Find(
        "fail" if loan["pledge_registered"] == "no" else "risk", loan["loan"],
        msg("The pledge of IP securing {loan_kind} {loan} {state}. Under Civil Code Art 444 a pledge of "
            "the property rights in a registered trademark, patent or copyright is created only when it "
            "is registered, so until then the pool holds an unsecured claim on the borrower: if the "
            "borrower defaults, the IP cannot be enforced for the SPV and the recoveries the structure "
            "counts on are not there. Once registered, the pledge passes to the SPV with the loan (Art "
            "547) without a transfer registration.",
            loan_kind=loan['loan_kind'].replace('_', ' '), loan=loan['loan'], state=state),
        remediation=msg("Register the pledge with CNIPA (patents and trademarks) or the copyright registration body before closing, "
                    "and make registration an eligibility criterion for the pool."))


def _borrower_not_notified(x):
    loan = x.loan
    yield Find(
        "risk", loan["loan"],
        msg("The borrower {borrower} has not been notified that the repayments of {loan} were sold to "
            "the SPV. Under Civil Code Art 546 the assignment has no effect on the borrower until it is "
            "notified, so repayments to the originator discharge it and, if the originator fails, those "
            "repayments fall into its estate.", borrower=loan['borrower'], loan=loan['loan']))


RULES += [
    Rule(
        id="CN-BR-016",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("pledge",),
        requirement="A pledge of IP securing a loan or lease in the pool exists only once registered.",
        law=("Civil Code Art 444: a pledge of the property rights in a registered trademark, a patent or a copyright is "
             "created when the pledge is registered. Art 547: an assignee of a claim takes its accessory rights, the pledge "
             "among them, and is not affected by their transfer not being registered."),
        citations=(cite("CN-CIVIL-CODE", "444"), cite("CN-CIVIL-CODE", "547")),
        remediation="Register each pledge with CNIPA or the copyright registration body before the loan enters the pool.",
        when=(On("loan", "loan_receivable", (this.collateral_count > 0) & (this.pledge_registered != "yes")),),
        then=_pledge_not_registered,
    ),
    Rule(
        id="CN-BR-017",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        tags=("notice",),
        requirement="An assignment of loan or lease repayments binds a Chinese borrower only after the borrower is notified.",
        law=("Civil Code Art 546: where a creditor assigns a claim without notifying the debtor, the assignment has no "
             "effect on the debtor; the notice cannot be withdrawn without the assignee's consent."),
        citations=(cite("CN-CIVIL-CODE", "546"),),
        remediation="Serve written notice of the assignment on each borrower and direct the repayments to the plan's account.",
        when=(On("loan", "loan_receivable", (this.borrower_country == "CN") & ~this.notified),),
        then=_borrower_not_notified,
    ),
]
