"""China — bankruptcy remoteness: does the pool leave the originator's estate, and do the royalties follow it?

The central chain: an unregistered CNIPA assignment has not taken effect (CN-BR-001), so the SPV does not hold
title (CN-BR-002), so the patent stays in the originator's bankruptcy estate (CN-BR-003).
"""

from ipsa.engine.rulekit import Conclude, Find, On, Rule, c, cite, m

# ipsa's analytical benchmark for a "clearly unreasonable price", not a statutory figure: the memo says so.
UNREASONABLE_PRICE_RATIO = 0.7


def _unregistered_assignment(x):
    link = x.link
    yield Conclude(
        "transfer_not_effective", link["patent"],
        f"The {link['method'].replace('_', ' ')} of CN patent {link['patent_number']} by transfer {link['transfer']} has not "
        "taken effect: a Chinese patent assignment takes effect only on registration with CNIPA.",
        {"office": link["office"], "patent_number": link["patent_number"], "transfer": link["transfer"]},
    )


def _spv_lacks_title(x):
    gap, pool = x.gap, x.pool
    yield Conclude(
        "spv_lacks_title", pool["patent"],
        f"The SPV does not hold title to CN patent {pool['patent_number']}: a transfer in its chain of title "
        f"({gap['transfer']}) has not taken effect, so title stays with the transferor.",
        {"office": pool["office"], "patent_number": pool["patent_number"], "transfer": gap["transfer"]},
    )


def _estate(x):
    gap = x.gap
    yield Find(
        "fail", gap["about"],
        f"CN patent {gap['patent_number']} still belongs to the transferor. If the originator fails, the patent is part of its "
        "bankruptcy estate, and the SPV holds only a contractual claim; the pool is not bankruptcy-remote for this patent.",
    )


def _trust_estate(x):
    t = x.trust
    yield Find(
        "risk", t["about"],
        f"Because the trust over CN patent {t['patent_number']} may have no effect, the separation of trust property from the "
        "settlor's estate (Trust Law Art 15) may not protect it; in the originator's insolvency the patent could be claimed for its estate.",
    )


def _licensee_not_notified(x):
    r = x.rec
    yield Conclude(
        "assignment_not_binding_on_licensee", r["licence"],
        f"The assignment of royalties under licence {r['licence']} does not yet bind the licensee, who has not been notified.",
        {"licensee": r["licensee"]},
    )


def _collections_exposed(x):
    flow = x.flow
    where = ("and its royalties are paid into the originator's account" if flow["via_originator"]
             else "and it may still pay the originator")
    yield Find(
        "risk", flow["licence"],
        f"Licence {flow['licence']}: the licensee has not been notified of the assignment {where}. Until notice, a payment to "
        "the originator discharges the licensee and the licensee may set off its own claims against the originator; if the "
        "originator fails, royalties in its hands fall into its estate and the SPV is left with an unsecured claim.",
    )


def _administrator_may_terminate(x):
    flow = x.flow
    yield Find(
        "risk", flow["licence"],
        f"Licence {flow['licence']} was granted by the originator and both sides still owe performance. If the originator "
        "becomes bankrupt, its administrator may terminate the licence, and silence for two months counts as termination; "
        "Chinese law gives the licensee no protection like US Bankruptcy Code §365(n), so the royalty stream can stop.",
    )


def _clawback(x):
    t = x.t
    window = int(x.param("cn.bankruptcy.clawback_window_days"))
    if t["days_before_as_of"] >= window:
        return
    yield Find(
        "risk", t["transfer"],
        f"Transfer {t['transfer']} was made {t['days_before_as_of']} days before the assessment date at {t['price_ratio']:.0%} "
        f"of appraised value. For {window} days after it, an administrator of the originator could ask the court to set it "
        f"aside as a transaction at a clearly unreasonable price (ipsa flags prices below {UNREASONABLE_PRICE_RATIO:.0%} of "
        "appraised value; the statute sets no number).",
        figures={"price_ratio": t["price_ratio"], "days_exposed": window - t["days_before_as_of"]},
    )


RULES = [
    Rule(
        id="CN-BR-001",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="An assignment of a Chinese patent takes effect only when it is registered with CNIPA.",
        law=("Patent Law Art 10: an assignment of a patent right requires a written contract and registration with the patent "
             "administration of the State Council, which announces it; the assignment takes effect on the date of registration."),
        citations=(cite("CN-PATENT-LAW", "10"),),
        remediation="Register the assignment with CNIPA and obtain the registration notice before closing.",
        when=(On("link", "title_link", (m.office == "CN") & (m.registered == False)),),  # noqa: E712
        then=_unregistered_assignment,
    ),
    Rule(
        id="CN-BR-002",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="The SPV holds title to a Chinese patent only if every transfer in its chain of title has taken effect.",
        law=("Patent Law Art 10 ties the effect of each assignment to its registration; a chain of title is only as good as "
             "its weakest link, so an unregistered link leaves title with the transferor."),
        citations=(cite("CN-PATENT-LAW", "10"),),
        remediation="Register every assignment in the chain, from the owner of record to the SPV, with CNIPA.",
        when=(On("gap", "transfer_not_effective"),
              On("pool", "pool_patent", (m.patent == c.gap.about) & (m.route == "title"))),
        then=_spv_lacks_title,
    ),
    Rule(
        id="CN-BR-003",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="Patents the SPV does not own remain in the transferor's bankruptcy estate, so the pool is not bankruptcy-remote.",
        law=("Enterprise Bankruptcy Law Art 30: the debtor's estate is all property belonging to it when the petition is accepted. "
             "A patent whose assignment has not taken effect still belongs to the transferor."),
        citations=(cite("CN-EBL", "30"), cite("CN-PATENT-LAW", "10")),
        remediation="Register the assignment with CNIPA; until then treat the patent as outside the pool.",
        when=(On("gap", "spv_lacks_title", m.office == "CN"),),
        overrides=("CN-BR-004",),
        then=_estate,
    ),
    Rule(
        id="CN-BR-004",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="Trust property is outside the settlor's estate only if the trust has taken effect.",
        law=("Trust Law Art 15 keeps trust property apart from the settlor's estate, but Art 10 denies effect to an "
             "unregistered trust over registrable property."),
        citations=(cite("CN-TRUST-LAW", "15"), cite("CN-TRUST-LAW", "10")),
        remediation="Avoid a patent-in-trust; use a licence-receivables special plan or a registered assignment.",
        when=(On("trust", "trust_may_have_no_effect"),),
        then=_trust_estate,
    ),
    Rule(
        id="CN-BR-005",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="An assignment of royalty receivables binds a Chinese licensee only after the licensee is notified.",
        law=("Civil Code Art 546: an assignment of a claim has no effect on the debtor until the debtor is notified; "
             "Arts 548-549 let the debtor keep its defences and set-off against the assignee."),
        citations=(cite("CN-CIVIL-CODE", "546"), cite("CN-CIVIL-CODE", "549")),
        remediation="Serve written notice of the assignment on each licensee and obtain an acknowledgement.",
        when=(On("rec", "receivable", (m.payer_country == "CN") & (m.notified == False)),),  # noqa: E712
        then=_licensee_not_notified,
    ),
    Rule(
        id="CN-BR-006",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="Royalties a licensee may still pay to the originator are exposed to the originator's insolvency.",
        law=("Until notice (Civil Code Art 546) the licensee discharges itself by paying the originator; once the originator is "
             "in bankruptcy its debtors pay the administrator (Enterprise Bankruptcy Law Art 17) and the cash is part of its estate (Art 30)."),
        citations=(cite("CN-CIVIL-CODE", "546"), cite("CN-EBL", "17"), cite("CN-EBL", "30")),
        remediation="Notify the licensees and direct them to pay into a collection account held in the SPV's name.",
        when=(On("nb", "assignment_not_binding_on_licensee"),
              On("flow", "royalty_flow", m.licence == c.nb.about)),
        then=_collections_exposed,
    ),
    Rule(
        id="CN-BR-007",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="A licence granted by the originator can be terminated by its administrator; Chinese law does not protect the licensee.",
        law=("Enterprise Bankruptcy Law Art 18: the administrator decides whether to continue or terminate contracts neither side "
             "has fully performed, and silence for two months after acceptance counts as termination."),
        citations=(cite("CN-EBL", "18"),),
        remediation=("Move the licensor position to the SPV (a registered assignment of the patents, or an exclusive licence to the "
                     "SPV recorded with CNIPA with sublicences from the SPV), and size enhancement for the loss of the stream."),
        when=(On("flow", "royalty_flow", (m.payer_country == "CN") & (m.licensor_in_originator_group == True)),),  # noqa: E712
        then=_administrator_may_terminate,
    ),
    Rule(
        id="CN-BR-008",
        jurisdiction="CN",
        area="bankruptcy_remoteness",
        requirement="A transfer at a clearly unreasonable price within one year before bankruptcy can be set aside.",
        law=("Enterprise Bankruptcy Law Art 31: for acts within one year before the court accepts the petition, the administrator "
             "may ask the court to set aside transfers for no consideration or at a clearly unreasonable price."),
        citations=(cite("CN-EBL", "31"),),
        remediation="Support the price with an independent appraisal and pay fair value, or hold back enhancement until the window closes.",
        when=(On("t", "transfer", (m.seller_country == "CN") & (m.from_originator == True) & (m.price_ratio >= 0) & (m.price_ratio < UNREASONABLE_PRICE_RATIO)),),  # noqa: E712
        parameters=("cn.bankruptcy.clawback_window_days",),
        then=_clawback,
    ),
]
