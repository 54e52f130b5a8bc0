"""Rule shapes the law repeats across jurisdictions, each filled with one jurisdiction's own instruments and words.

Where two legal systems reason the same way (a transfer that needs registration to take effect; an assignment
that binds the debtor only after notice; tax withheld at source on royalties leaving the country) the chain of
rules is written once here and instantiated per jurisdiction with that jurisdiction's citations, parameters and
gists. Where the law differs in kind (US recording gives only priority; JP third-party perfection needs a
certified date) the jurisdiction's module writes its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.rulekit import Conclude, Find, On, Rule, earlier, this
from ipsa.knowledge_base import CitationRef


@dataclass(frozen=True)
class Law:
    """Citations and the gist of the provisions they hold, in ipsa's words."""

    cites: tuple[CitationRef, ...]
    gist: str


# -- registration as a condition of effect: CN, JP, VN ------------------------------------------------------------

def registration_chain(jurisdiction: str, office: str, *, effect: Law, estate: Law, register: str,
                       estate_overrides: tuple[str, ...] = ()) -> list[Rule]:
    """{J}-BR-001 an unregistered transfer has not taken effect -> {J}-BR-002 the SPV lacks title ->
    {J}-BR-003 the patent stays in the transferor's estate."""
    j = jurisdiction

    def not_effective(x):
        link = x.link
        yield Conclude(
            "transfer_not_effective", link["patent"],
            msg("The {method} of {j} patent {patent_number} by transfer {transfer} has not taken effect: a "
                "transfer of a {j} patent takes effect only on registration with {office}.",
                method=link['method'].replace('_', ' '), j=j, patent_number=link['patent_number'], transfer=link['transfer'], office=office),
            {"office": link["office"], "patent_number": link["patent_number"], "transfer": link["transfer"]},
        )

    def lacks_title(x):
        gap, pool = x.gap, x.pool
        yield Conclude(
            "spv_lacks_title", pool["patent"],
            msg("The SPV does not hold title to {j} patent {patent_number}: a transfer in its chain of "
                "title ({transfer}) has not taken effect, so title stays with the transferor.",
                j=j, patent_number=pool['patent_number'], transfer=gap['transfer']),
            {"office": pool["office"], "patent_number": pool["patent_number"], "transfer": gap["transfer"]},
        )

    def in_estate(x):
        gap = x.gap
        yield Find(
            "fail", gap["about"],
            msg("{j} patent {patent_number} still belongs to the transferor. If the originator fails, the "
                "patent is part of its bankruptcy estate and the SPV holds only a contractual claim; the "
                "pool is not bankruptcy-remote for this patent.",
                j=j, patent_number=gap['patent_number']),
        )

    return [
        Rule(
            id=f"{j}-BR-001", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=msg("A transfer of a {j} patent takes effect only when it is registered with {office}.",
                            j=j, office=office),
            law=effect.gist, citations=effect.cites, remediation=register,
            when=(On("link", "title_link", (this.office == j) & ~this.registered),),
            then=not_effective, tags=("registration",),
        ),
        Rule(
            id=f"{j}-BR-002", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=msg("The SPV holds title to a {j} patent only if every transfer in its chain of title has taken "
                            "effect.", j=j),
            law=("Each link of the chain takes effect only on registration; a chain of title is only as good as its weakest "
                 "link, so one unregistered transfer leaves title with that transferor. " + effect.gist),
            citations=effect.cites, remediation=msg("Register every transfer in the chain, from the owner of record to the SPV, with {office}.",
                                                    office=office),
            when=(On("gap", "transfer_not_effective", this.office == j),
                  On("pool", "pool_patent", (this.patent == earlier.gap.about) & (this.route == "title"))),
            then=lacks_title, tags=("registration",),
        ),
        Rule(
            id=f"{j}-BR-003", jurisdiction=j, area="bankruptcy_remoteness",
            requirement="Patents the SPV does not own remain in the transferor's bankruptcy estate, so the pool is not bankruptcy-remote.",
            law=estate.gist, citations=estate.cites + effect.cites,
            remediation=msg("Register the transfer with {office}; until then treat the patent as outside the pool.", office=office),
            when=(On("gap", "spv_lacks_title", this.office == j),),
            overrides=estate_overrides,
            then=in_estate, tags=("registration",),
        ),
    ]


# -- notice to the licensee: CN, VN, JP, US -------------------------------------------------------------------------

def notice_chain(jurisdiction: str, *, notice: Law, exposure: Law, ids: tuple[str, str] = ("005", "006")) -> list[Rule]:
    """{J}-BR-005 an assignment of royalties does not bind a licensee who was not notified ->
    {J}-BR-006 royalties the licensee may still pay to the originator are exposed to its insolvency."""
    j = jurisdiction

    def not_binding(x):
        r = x.rec
        yield Conclude(
            "assignment_not_binding_on_licensee", r["licence"],
            msg("The assignment of royalties under licence {licence} does not yet bind the licensee, who "
                "has not been notified.", licence=r['licence']),
            {"licensee": r["licensee"], "payer_country": r["payer_country"]},
        )

    def exposed(x):
        flow = x.flow
        where = (N_("and its royalties are paid into the originator's account") if flow["via_originator"]
                 else N_("and it may still pay the originator"))
        yield Find(
            "risk", flow["licence"],
            msg("Licence {licence}: the licensee has not been notified of the assignment {where}. Until "
                "notice, a payment to the originator discharges the licensee and the licensee may set off "
                "its own claims against the originator; if the originator fails, royalties in its hands "
                "fall into its estate and the SPV is left with an unsecured claim.",
                licence=flow['licence'], where=where),
        )

    return [
        Rule(
            id=f"{j}-BR-{ids[0]}", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=msg("An assignment of royalty receivables binds a licensee in {j} only after the licensee is "
                            "notified.", j=j),
            law=notice.gist, citations=notice.cites,
            remediation="Serve written notice of the assignment on each licensee and obtain an acknowledgement.",
            when=(On("rec", "receivable", (this.payer_country == j) & ~this.notified),),
            then=not_binding, tags=("notice",),
        ),
        Rule(
            id=f"{j}-BR-{ids[1]}", jurisdiction=j, area="bankruptcy_remoteness",
            requirement="Royalties a licensee may still pay to the originator are exposed to the originator's insolvency.",
            law=exposure.gist, citations=exposure.cites,
            remediation="Notify the licensees and direct them to pay into a collection account held in the SPV's name.",
            when=(On("nb", "assignment_not_binding_on_licensee", this.payer_country == j),
                  On("flow", "royalty_flow", this.licence == earlier.nb.about)),
            then=exposed, tags=("notice", "commingling"),
        ),
    ]


# -- withholding on royalties leaving the country: CN, US, JP, VN, GB -------------------------------------------

def withholding(rule_id: str, jurisdiction: str, *, parameter: str, law: Law, requirement: str,
                rate_words: str = N_("the domestic rate")) -> Rule:
    """Royalties paid from `jurisdiction` to a recipient resident elsewhere bear tax withheld at source."""
    j = jurisdiction

    def withheld(x):
        flow = x.flow
        statutory = x.param(parameter)
        rate = flow["treaty_rate"] if flow["treaty_rate"] >= 0 else statutory
        basis = msg("the {treaty} rate", treaty=flow['treaty']) if flow["treaty_rate"] >= 0 else msg("{rate_words} (no treaty rate was given)", rate_words=rate_words)
        leakage = rate * flow["expected_annual"]
        if rate == 0:
            yield Find("pass", flow["licence"],
                       msg("Royalties under licence {licence} leave {j} to a {payee_country} recipient free of "
                           "withholding under {basis}; the relief must be claimed with the payer's forms and a "
                           "residence certificate.",
                           licence=flow['licence'], j=j, payee_country=flow['payee_country'], basis=basis),
                       figures={"withholding_rate": 0.0, "annual_tax": 0.0})
        elif flow["gross_up"] == "yes":
            yield Find("info", flow["licence"],
                       msg("Royalties under licence {licence} leave {j} to a {payee_country} recipient; the licensee "
                           "withholds {rate:.2%} ({basis}) and grosses up, so the SPV receives the full royalty.",
                           licence=flow['licence'], j=j, payee_country=flow['payee_country'], rate=rate, basis=basis),
                       figures={"withholding_rate": rate, "annual_tax": leakage})
        else:
            unstated = N_(" (the deal does not say whether licensees gross up)") if flow["gross_up"] == "unstated" else ""
            yield Find("risk", flow["licence"],
                       msg("Royalties under licence {licence} leave {j} to a {payee_country} recipient; the licensee "
                           "must withhold {rate:.2%} ({basis}) at source{unstated}, about {leakage:,.0f} a year that "
                           "the SPV does not receive.",
                           licence=flow['licence'], j=j, payee_country=flow['payee_country'], rate=rate, basis=basis, unstated=unstated, leakage=leakage),
                       figures={"withholding_rate": rate, "annual_tax": leakage},
                       remediation=msg("Obtain a gross-up from the licensees or claim treaty relief with a tax residence certificate; "
                                   "size the notes on the net royalty."))

    return Rule(
        id=rule_id, jurisdiction=j, area="tax", requirement=requirement, law=law.gist, citations=law.cites,
        remediation="Obtain a gross-up from the licensees or claim treaty relief; size the notes on net royalties.",
        when=(On("flow", "royalty_flow", (this.payer_country == j) & (this.payee_country != j)),),
        parameters=(parameter,), then=withheld, tags=("withholding",),
    )


# -- true sale and recharacterisation: every jurisdiction ----------------------------------------------------------

TRUE_SALE_PRICE_RATIO = 0.7  # ipsa's analytical benchmark for a price far below value; the memo says it is not statute


def sale_indicators(t: dict) -> list[str]:
    """What in a transfer points to a secured loan rather than a sale, in a lawyer's words."""
    found = []
    if t["recourse"] == "full":
        found.append(N_("the seller bears full recourse for losses on the assets"))
    elif t["recourse"] == "limited":
        found.append(N_("the seller bears limited recourse"))
    if t["repurchase"]:
        found.append(N_("the seller must repurchase the assets"))
    if 0 <= t["price_ratio"] < TRUE_SALE_PRICE_RATIO:
        found.append(msg("the price is {price_ratio:.0%} of appraised value (ipsa flags below "
                         "{true_sale_price_ratio:.0%})",
                         price_ratio=t['price_ratio'], true_sale_price_ratio=TRUE_SALE_PRICE_RATIO))
    if t["collections_via_seller"] and t["seller_services"]:
        found.append(N_("the seller services the assets and collects into its own account, keeping control of the cash"))
    return found


def true_sale(jurisdiction: str, ids: tuple[str, str], *, indicators: Law, consequence: Law) -> list[Rule]:
    """{ids[0]}: does the transfer read as a sale? (pass, or a conclusion that it may be a loan)
    {ids[1]}: what follows under the seller's insolvency law if it is recharacterised."""
    j = jurisdiction

    def assess_sale(x):
        t = x.t
        found = sale_indicators(t)
        if not found:
            yield Find("pass", t["transfer"],
                       msg("Transfer {transfer} reads as a sale: no recourse, no repurchase obligation, a price near "
                           "value and no retained control of collections.", transfer=t['transfer']))
            return
        yield Conclude("sale_may_be_loan", t["transfer"],
                       msg("Transfer {transfer} carries features of a secured loan: {features}.", transfer=t['transfer'],
                           features=joined(found, "; ")),
                       {"country": j, "indicators": len(found)})

    def recharacterised(x):
        d = x.doubt
        yield Find("risk", d["about"],
                   msg("A court in the seller's insolvency could treat transfer {about} as a loan secured on the "
                       "assets. The assets would then stay in the seller's estate, the SPV would be a secured "
                       "creditor at best, subject to the stay and to the administrator's powers, and the notes "
                       "would carry the originator's credit risk.", about=d['about']),
                   figures={"indicators": float(d["indicators"])})

    return [
        Rule(
            id=f"{j}-BR-{ids[0]}", jurisdiction=j, area="bankruptcy_remoteness",
            requirement="A transfer to the SPV must read as a true sale: no recourse or repurchase, a fair price, no retained control.",
            law=indicators.gist, citations=indicators.cites,
            remediation="Remove recourse and repurchase obligations beyond warranties, pay an appraised price, and move "
                        "collections to an SPV account with a backup servicer; obtain a true-sale opinion.",
            when=(On("t", "transfer", (this.seller_country == j) & this.from_originator & this.title_passes),),
            then=assess_sale, tags=("true_sale",),
        ),
        Rule(
            id=f"{j}-BR-{ids[1]}", jurisdiction=j, area="bankruptcy_remoteness",
            requirement="A transfer recharacterised as a secured loan leaves the assets in the seller's bankruptcy estate.",
            law=consequence.gist, citations=consequence.cites,
            remediation="Cure the sale indicators and obtain a reasoned true-sale opinion from counsel in the seller's jurisdiction.",
            when=(On("doubt", "sale_may_be_loan", this.country == j),),
            then=recharacterised, tags=("true_sale",),
        ),
    ]


# -- collections and servicing: every jurisdiction ------------------------------------------------------------------

def commingling(rule_id: str, jurisdiction: str, *, law: Law) -> Rule:
    """Royalties collected into an account of the originator's group are exposed to its insolvency."""
    j = jurisdiction

    def mixed(x):
        flow = x.flow
        yield Find("risk", flow["licence"],
                   msg("Royalties under licence {licence} are paid into an account of the originator's group in "
                       "{j}. Cash mixed with the originator's own money may not be traceable as the SPV's; if the "
                       "originator fails, it can be swept into the estate and the SPV ranks as an unsecured "
                       "creditor for it.", licence=flow['licence'], j=j))

    return Rule(
        id=rule_id, jurisdiction=j, area="bankruptcy_remoteness",
        requirement="Collections must not pass through an account of the originator, whose insolvency would capture them.",
        law=law.gist, citations=law.cites,
        remediation="Redirect the licensees to a collection account in the SPV's name, pledged to the trustee, with daily sweeps.",
        when=(On("flow", "royalty_flow", (this.account_holder_country == j) & this.via_originator & ~this.to_spv),),
        then=mixed, tags=("commingling",),
    )


def backup_servicer(rule_id: str, jurisdiction: str, *, law: Law) -> Rule:
    """An originator that services its own pool with no backup leaves collections without a hand if it fails."""
    j = jurisdiction

    def disruption(x):
        s = x.svc
        if not s["servicer_in_originator_group"] or s["backup"]:
            yield Find("pass", s["servicer"], msg("Servicing does not depend on the originator alone: ")
                       + (msg("a backup servicer is named.") if s["backup"] else msg("the servicer is outside the originator's group.")))
            return
        yield Find("risk", s["servicer"],
                   msg("The originator services the pool and no backup servicer is named. If it fails, its administrator decides "
                   "whether to keep performing the servicing contract, and nobody is ready to invoice, collect and report in the meantime."))

    return Rule(
        id=rule_id, jurisdiction=j, area="bankruptcy_remoteness",
        requirement="A servicer that is the originator needs a named backup servicer.",
        law=law.gist, citations=law.cites,
        remediation="Appoint a warm backup servicer with a step-in trigger on the originator's insolvency or downgrade.",
        when=(On("svc", "servicing", this.servicer_country == j),),
        then=disruption, tags=("backup_servicer",),
    )


# -- clawback of transfers at an undervalue -------------------------------------------------------------------------

def undervalue_clawback(rule_id: str, jurisdiction: str, *, law: Law, requirement: str, window_parameter: str | None,
                        remediation: str) -> Rule:
    """A transfer well below value can be avoided in the seller's insolvency, within the law's look-back window."""
    j = jurisdiction

    def exposed(x):
        t = x.t
        window = int(x.param(window_parameter)) if window_parameter else None
        if window is not None and t["days_before_as_of"] >= window:
            return
        when = (msg("For {window} days after it", window=window) if window is not None
                else N_("The statute sets no fixed look-back period for this ground, so for as long as it can be challenged"))
        yield Find(
            "risk", t["transfer"],
            msg("Transfer {transfer} was made {days_before_as_of} days before the assessment date at "
                "{price_ratio:.0%} of appraised value. {when}, an insolvency officer of the seller could "
                "seek to avoid it as a transfer at an undervalue (ipsa flags prices below "
                "{true_sale_price_ratio:.0%} of appraised value; the statute sets no number).",
                transfer=t['transfer'], days_before_as_of=t['days_before_as_of'], price_ratio=t['price_ratio'], when=when, true_sale_price_ratio=TRUE_SALE_PRICE_RATIO),
            figures={"price_ratio": t["price_ratio"],
                     **({"days_exposed": float(window - t["days_before_as_of"])} if window is not None else {})},
        )

    return Rule(
        id=rule_id, jurisdiction=j, area="bankruptcy_remoteness", requirement=requirement, law=law.gist, citations=law.cites,
        remediation=remediation,
        when=(On("t", "transfer", (this.seller_country == j) & this.from_originator & (this.price_ratio >= 0)
                 & (this.price_ratio < TRUE_SALE_PRICE_RATIO)),),
        parameters=(window_parameter,) if window_parameter else (),
        then=exposed, tags=("clawback",),
    )


# -- separateness and control of the SPV ----------------------------------------------------------------------------

def separateness_gaps(spv: dict) -> list[str]:
    """What in the SPV's make-up invites a court to treat it as part of the originator's group. Ownership by the
    originator is usual for a special-purpose entity; it becomes an indicator when no independent director stands
    between the originator and the SPV's decisions (rating criteria's answer to the consolidation tests)."""
    gaps = []
    if spv["independent_directors"] == 0:
        if spv["originator_controls"]:
            gaps.append(msg("the originator group controls it ({originator_equity:.0%} of equity) and no director is "
                            "independent", originator_equity=spv['originator_equity']))
        if spv["originator_nominated_directors"] > 0:
            gaps.append(msg("its {originator_nominated_directors} director(s) are all the originator's nominees",
                            originator_nominated_directors=spv['originator_nominated_directors']))
        elif not spv["originator_controls"]:
            gaps.append(N_("no director is independent"))
    for key, words in (("separateness", N_("separateness covenants")), ("non_petition", N_("non-petition undertakings")),
                       ("limited_recourse", N_("limited-recourse terms")), ("activities_limited", N_("a limit on its activities to the deal"))):
        if spv[key] != "yes":
            gaps.append(msg("no {covenants} are stated", covenants=words) if spv[key] == "unstated"
                        else msg("no {covenants}", covenants=words))
    if spv["guarantees_affiliate_debt"] == "yes":
        gaps.append(N_("it guarantees or secures debts of the originator's group"))
    return gaps


def spv_separateness(rule_id: str, jurisdiction: str, *, law: Law, requirement: str, exempt_forms: tuple[str, ...] = (),
                     why: str) -> Rule:
    """Is the SPV separate enough from the originator to stay out of its insolvency?"""
    j = jurisdiction

    def judge(x):
        spv = x.spv
        gaps = separateness_gaps(spv)
        if not gaps:
            yield Find("pass", spv["party"],
                       msg("The SPV is separate from the originator: independent direction, separateness, non-petition and "
                       "limited-recourse terms, and activities limited to the deal."))
            return
        grave = spv["originator_controls"] and spv["independent_directors"] == 0 and spv["separateness"] != "yes"
        yield Find("fail" if grave else "risk", spv["party"],
                   msg("{why} Here {gaps}.", why=why, gaps=joined(gaps, "; ")),
                   figures={"gaps": float(len(gaps))})

    condition = this.country == j
    for form in exempt_forms:
        condition = condition & (this.form != form)
    return Rule(
        id=rule_id, jurisdiction=j, area="spv_form", requirement=requirement, law=law.gist, citations=law.cites,
        remediation=("Appoint at least one independent director whose consent is needed for any insolvency filing, adopt "
                     "separateness covenants, take non-petition and limited-recourse undertakings from every creditor, limit "
                     "the SPV's objects to the deal, and release any guarantee of group debt."),
        when=(On("spv", "spv", condition),),
        then=judge, tags=("separateness",),
    )


# -- the vehicle must be one the SPV's jurisdiction offers ----------------------------------------------------------

def vehicle_offered(rule_id: str, jurisdiction: str, *, law: Law, requirement: str, trustee_forms: dict[str, tuple[str, ...]] | None = None,
                    remediation: str) -> Rule:
    """The chosen form exists in the SPV's jurisdiction, is available there, and (for trust forms) has an eligible trustee."""
    j = jurisdiction
    trustee_forms = trustee_forms or {}

    def judge(x):
        spv = x.spv
        from ipsa.knowledge_base import load

        vehicle = load().vehicles[spv["form"]]
        if spv["form_jurisdiction"] != j:
            yield Find("fail", spv["party"],
                       msg("The SPV is established in {j} but its form, {name}, is a vehicle of {form_jurisdiction} "
                           "law; {j} law does not offer it.",
                           j=j, name=vehicle.name, form_jurisdiction=spv['form_jurisdiction']))
        elif not spv["form_available"]:
            yield Find("fail", spv["party"], msg("The deal uses a {name}, which {j} law does not offer: {reason}",
                                                 name=vehicle.name, j=j, reason=vehicle.reason))
        elif spv["form"] in trustee_forms and spv["manager_type"] not in trustee_forms[spv["form"]]:
            who = N_("no trustee is named") if spv["manager"] == "none" else msg("the trustee is a {manager_type}", manager_type=spv['manager_type'].replace('_', ' '))
            allowed = joined((t.replace("_", " ") for t in trustee_forms[spv["form"]]), " or ")
            yield Find("fail", spv["party"], msg("The deal uses a {name} but {who}; the trustee must be a {allowed}.",
                                                 name=vehicle.name, who=who, allowed=allowed))
        else:
            yield Find("pass", spv["party"], msg("The {name} is a vehicle {j} law offers for this deal. {summary}",
                                                 name=vehicle.name, j=j, summary=vehicle.summary))

    return Rule(
        id=rule_id, jurisdiction=j, area="spv_form", requirement=requirement, law=law.gist, citations=law.cites,
        remediation=remediation, when=(On("spv", "spv", this.country == j),), then=judge, tags=("vehicle_form",),
    )


# -- risk retention: US, EU, UK, CN credit ABS ----------------------------------------------------------------------

def risk_retention(rule_id: str, jurisdiction: str, *, parameter: str, law: Law, requirement: str, condition,
                   retainer: str, forms: str, remediation: str, scope: str | None = None,
                   eligible: tuple[str, ...] = ("originator", "sponsor", "originator_group")) -> Rule:
    """The retainer must hold at least the parameter's share; a shortfall is a failure and a conclusion that
    investor due-diligence rules build on."""
    j = jurisdiction

    def judge(x):
        o = x.o
        floor = x.param(parameter)
        qualifies = o["retention_holder_role"] in eligible
        if o["retention_share"] >= floor and qualifies:
            yield Find("pass", "deal",
                       msg("The {retainer} retains {retention_share:.0%} ({retention_form}), at least the {floor:.0%} "
                           "required.",
                           retainer=retainer, retention_share=o['retention_share'], retention_form=o['retention_form'].replace('_', ' '), floor=floor), figures={"retained": o["retention_share"], "required": floor})
            return
        held = (N_("no retention is stated") if o["retention_share"] < 0
                else msg("{retention_share:.0%} is held by a party that is not the {retainer}",
                         retention_share=o['retention_share'], retainer=retainer) if not qualifies
                else msg("only {retention_share:.0%} is retained", retention_share=o['retention_share']))
        yield Conclude("due_diligence_gap", "retention", msg("The {j} retention requirement is not met: {held}.", j=j, held=held), {"regime": j})
        yield Find("fail", "deal",
                   msg("The {retainer} must retain at least {floor:.0%} of the securitization, as {forms}; here "
                       "{held}.", retainer=retainer, floor=floor, forms=forms, held=held),
                   figures={"retained": max(o["retention_share"], 0.0), "required": floor})

    return Rule(
        id=rule_id, jurisdiction=j, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
        remediation=remediation, parameters=(parameter,), then=judge, tags=("retention",),
        when=((On("scope", scope, this.regime == j),) if scope else ()) + (On("o", "offering", condition),),
    )


# -- EU and UK securitisation regimes -------------------------------------------------------------------------------

def securitisation_scope(rule_id: str, regime: str, *, law: Law, engaged, requirement: str, who: str) -> Rule:
    """Is the deal a securitisation the regime governs (tranched, and reaching the regime through its investors or
    its originator)? Concludes `securitisation_in_scope` for the regime's other rules."""

    def judge(x):
        o = x.o
        if o["tranched"]:
            yield Conclude("securitisation_in_scope", "deal",
                           msg("The notes tranche the credit risk of the royalty pool, and the deal reaches {who}; it is a "
                               "securitisation under the {regime} regime.", who=who, regime=regime), {"regime": regime})
            yield Find("info", "deal",
                       msg("The deal is a securitisation under the {regime} regime (tranched credit risk, engaged "
                           "through {who}); its retention, transparency and investor due-diligence rules apply.",
                           regime=regime, who=who))
        else:
            yield Find("pass", "deal",
                       msg("The notes are a single class, so the credit risk is not tranched; the deal is not a "
                           "securitisation under the {regime} regime and its securitisation rules do not apply.",
                           regime=regime))

    return Rule(id=rule_id, jurisdiction=regime, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="None needed; the finding decides which of the regime's rules apply.",
                when=(On("o", "offering", engaged),), then=judge, tags=("scope",))


def transparency(rule_id: str, regime: str, *, law: Law, requirement: str) -> Rule:
    def judge(x):
        o = x.o
        if o["reporting_entity"] != "none":
            yield Find("pass", "deal", msg("A reporting entity ({reporting_entity}) is designated to make the transparency "
                                           "disclosures.", reporting_entity=o['reporting_entity']))
            return
        yield Conclude("due_diligence_gap", "transparency",
                       msg("No entity is designated to make the {regime} transparency disclosures.", regime=regime), {"regime": regime})
        yield Find("fail", "deal",
                   msg("No entity is designated to make the securitisation's transparency disclosures (underlying exposure data, "
                   "investor reports, transaction documents); the originator, sponsor and SSPE must designate one."))

    return Rule(id=rule_id, jurisdiction=regime, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="Designate the originator (or the SSPE) as reporting entity and set up the reporting templates and repository.",
                when=(On("scope", "securitisation_in_scope", this.regime == regime), On("o", "offering")), then=judge,
                tags=("transparency",))


def investor_due_diligence(rule_id: str, regime: str, *, law: Law, requirement: str, investors) -> Rule:
    def judge(x):
        gap = x.gap
        yield Find("fail", gap["about"],
                   msg("{regime} institutional investors must verify before investing that the retention and "
                       "transparency duties are met; {value!l} They cannot hold the notes until this is cured.",
                       regime=regime, value=gap['text']))

    return Rule(id=rule_id, jurisdiction=regime, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="Cure the retention or transparency gap before marketing to these investors, or exclude them.",
                when=(On("gap", "due_diligence_gap", this.regime == regime), On("o", "offering", investors)), then=judge,
                tags=("due_diligence",))


def sspe_location(rule_id: str, regime: str, *, list_id: str, law: Law, requirement: str, engaged) -> Rule:
    def judge(x):
        from ipsa.knowledge_base import load

        o = x.o
        held = load().lists[list_id].value_on(x.as_of)
        members = held.members if held else []
        caveat = "" if held is None or held.verified else N_(" The list as ipsa holds it is unverified; confirm it against the current official list.")
        if o["spv_country"] in members:
            yield Find("fail", "deal",
                       msg("The SPV is established in {spv_country}, which is on the list the {regime} regime bars "
                           "SSPEs from.{caveat}",
                           spv_country=o['spv_country'], regime=regime, caveat=caveat))
        else:
            yield Find("pass", "deal",
                       msg("The SPV's country, {spv_country}, is not on the list the {regime} regime bars SSPEs "
                           "from.{caveat}", spv_country=o['spv_country'], regime=regime, caveat=caveat))

    return Rule(id=rule_id, jurisdiction=regime, area="spv_form", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="Establish the SSPE in a jurisdiction that is on neither list (for example the originator's own).",
                when=(On("o", "offering", engaged),), then=judge, tags=("location",), lists=(list_id,))


# -- patent term against the notes' tenor ---------------------------------------------------------------------------

def patent_term(rule_id: str, jurisdiction: str, *, law: Law, after_expiry: str) -> Rule:
    """A patent's royalties end with its statutory term; a patent expiring before the legal final leaves the
    notes' tail without that income."""
    j = jurisdiction

    def short(x):
        p = x.pool
        yield Find("risk", p["patent"],
                   msg("{j} patent {patent_number} expires on {expiry}, before the notes' legal final of "
                       "{legal_final}. {after_expiry} The risk model cuts its royalties off at expiry and erodes "
                       "the licence after it.",
                       j=j, patent_number=p['patent_number'], expiry=p['expiry'], legal_final=p['legal_final'], after_expiry=after_expiry))

    return Rule(
        id=rule_id, jurisdiction=j, area="bankruptcy_remoteness",
        requirement=msg("Royalties for a {j} patent end with its statutory term, which should outlast the notes.", j=j),
        law=law.gist, citations=law.cites,
        remediation="Shorten the legal final or the amortisation to the pool's residual life, add patents that outlast the "
                    "notes, or size enhancement on royalties that stop at expiry.",
        when=(On("pool", "pool_patent", (this.office == j) & this.expires_before_final),),
        then=short, tags=("patent_term",),
    )


# -- a third-country originator, reached through the investors' due diligence: EU, UK ---------------------------

ELIGIBLE_RETAINERS = ("originator", "sponsor", "originator_group")


@dataclass(frozen=True)
class DueDiligenceRoute:
    """How a regime reaches an originator established outside it: the words a finding uses for each step."""

    regime: str  # EU, GB
    floor_parameter: str  # the retention minimum
    outside: str  # "outside the Union"
    third_country: str  # "third-country originator"
    retention_duty: str  # "Art 6"
    transparency_duty: str  # "Art 7"
    retention_check: str  # "under Art 5(1)(d)"
    transparency_check: str  # "under Art 5(1)(e)"
    information: str  # "the Art 7 information"
    both_duties: str  # "Arts 6 and 7 do not bind it directly"
    both_checks: str  # "under Art 5(1)(d) and (e)"
    closing: str  # the info finding's sentence

    @property
    def regime_investors(self) -> str:
        return N_("EU investors") if self.regime == "EU" else N_("UK investors")


def third_country_originator(route: DueDiligenceRoute):
    """A `then` for an originator outside the regime: not bound by the retention and transparency duties, so never
    in breach of them; a gap is concluded for the investors' due-diligence rule to bar them."""
    r = route

    def judge(x):
        o = x.o
        floor = x.param(r.floor_parameter)
        retained = o["retention_share"] >= floor and o["retention_holder_role"] in ELIGIBLE_RETAINERS
        reported = o["reporting_entity"] != "none"
        if retained and reported:
            yield Find("pass", "deal",
                       msg("The originator is established {outside}, so {both_duties}. {regime_investors} can verify "
                           "{both_checks} that it retains {retention_share:.0%} (at least {floor:.0%}) and that "
                           "{reporting_entity} makes {information} available.",
                           outside=r.outside, both_duties=r.both_duties, regime_investors=r.regime_investors, both_checks=r.both_checks, retention_share=o['retention_share'], floor=floor, reporting_entity=o['reporting_entity'], information=r.information),
                       figures={"retained": o["retention_share"], "required": floor})
            return
        if not retained:
            held = (N_("no retention is stated") if o["retention_share"] < 0
                    else msg("{retention_share:.0%} is held by a party that is not the originator, sponsor or original "
                             "lender", retention_share=o['retention_share'])
                    if o["retention_holder_role"] not in ELIGIBLE_RETAINERS else msg("only {retention_share:.0%} is retained", retention_share=o['retention_share']))
            yield Conclude("due_diligence_gap", "retention",
                           msg("The {third_country} is not bound by {retention_duty}, but {regime_investors} must verify "
                               "{retention_check} that at least {floor:.0%} is retained: {held}.",
                               third_country=r.third_country, retention_duty=r.retention_duty, regime_investors=r.regime_investors, retention_check=r.retention_check, floor=floor, held=held), {"regime": r.regime})
        if not reported:
            yield Conclude("due_diligence_gap", "transparency",
                           msg("The {third_country} is not bound by {transparency_duty}, but {regime_investors} must "
                               "verify {transparency_check} that {information} is made available: no entity is designated "
                               "to provide it.",
                               third_country=r.third_country, transparency_duty=r.transparency_duty, regime_investors=r.regime_investors, transparency_check=r.transparency_check, information=r.information), {"regime": r.regime})
        yield Find("info", "deal", r.closing)

    return judge
