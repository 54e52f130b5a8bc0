"""Rule shapes the law repeats across jurisdictions, each filled with one jurisdiction's own instruments and words.

Where two legal systems reason the same way (a transfer that needs registration to take effect; an assignment
that binds the debtor only after notice; tax withheld at source on royalties leaving the country) the chain of
rules is written once here and instantiated per jurisdiction with that jurisdiction's citations, parameters and
gists. Where the law differs in kind (US recording gives only priority; JP third-party perfection needs a
certified date) the jurisdiction's module writes its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass

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
            f"The {link['method'].replace('_', ' ')} of {j} patent {link['patent_number']} by transfer {link['transfer']} has not "
            f"taken effect: a transfer of a {j} patent takes effect only on registration with {office}.",
            {"office": link["office"], "patent_number": link["patent_number"], "transfer": link["transfer"]},
        )

    def lacks_title(x):
        gap, pool = x.gap, x.pool
        yield Conclude(
            "spv_lacks_title", pool["patent"],
            f"The SPV does not hold title to {j} patent {pool['patent_number']}: a transfer in its chain of title "
            f"({gap['transfer']}) has not taken effect, so title stays with the transferor.",
            {"office": pool["office"], "patent_number": pool["patent_number"], "transfer": gap["transfer"]},
        )

    def in_estate(x):
        gap = x.gap
        yield Find(
            "fail", gap["about"],
            f"{j} patent {gap['patent_number']} still belongs to the transferor. If the originator fails, the patent is part "
            "of its bankruptcy estate and the SPV holds only a contractual claim; the pool is not bankruptcy-remote for this patent.",
        )

    return [
        Rule(
            id=f"{j}-BR-001", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=f"A transfer of a {j} patent takes effect only when it is registered with {office}.",
            law=effect.gist, citations=effect.cites, remediation=register,
            when=(On("link", "title_link", (this.office == j) & ~this.registered),),
            then=not_effective, tags=("registration",),
        ),
        Rule(
            id=f"{j}-BR-002", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=f"The SPV holds title to a {j} patent only if every transfer in its chain of title has taken effect.",
            law=("Each link of the chain takes effect only on registration; a chain of title is only as good as its weakest "
                 "link, so one unregistered transfer leaves title with that transferor. " + effect.gist),
            citations=effect.cites, remediation=f"Register every transfer in the chain, from the owner of record to the SPV, with {office}.",
            when=(On("gap", "transfer_not_effective", this.office == j),
                  On("pool", "pool_patent", (this.patent == earlier.gap.about) & (this.route == "title"))),
            then=lacks_title, tags=("registration",),
        ),
        Rule(
            id=f"{j}-BR-003", jurisdiction=j, area="bankruptcy_remoteness",
            requirement="Patents the SPV does not own remain in the transferor's bankruptcy estate, so the pool is not bankruptcy-remote.",
            law=estate.gist, citations=estate.cites + effect.cites,
            remediation=f"Register the transfer with {office}; until then treat the patent as outside the pool.",
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
            f"The assignment of royalties under licence {r['licence']} does not yet bind the licensee, who has not been notified.",
            {"licensee": r["licensee"], "payer_country": r["payer_country"]},
        )

    def exposed(x):
        flow = x.flow
        where = ("and its royalties are paid into the originator's account" if flow["via_originator"]
                 else "and it may still pay the originator")
        yield Find(
            "risk", flow["licence"],
            f"Licence {flow['licence']}: the licensee has not been notified of the assignment {where}. Until notice, a payment "
            "to the originator discharges the licensee and the licensee may set off its own claims against the originator; if "
            "the originator fails, royalties in its hands fall into its estate and the SPV is left with an unsecured claim.",
        )

    return [
        Rule(
            id=f"{j}-BR-{ids[0]}", jurisdiction=j, area="bankruptcy_remoteness",
            requirement=f"An assignment of royalty receivables binds a licensee in {j} only after the licensee is notified.",
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
                rate_words: str = "the domestic rate") -> Rule:
    """Royalties paid from `jurisdiction` to a recipient resident elsewhere bear tax withheld at source."""
    j = jurisdiction

    def withheld(x):
        flow = x.flow
        statutory = x.param(parameter)
        rate = flow["treaty_rate"] if flow["treaty_rate"] >= 0 else statutory
        basis = f"the {flow['treaty']} rate" if flow["treaty_rate"] >= 0 else f"{rate_words} (no treaty rate was given)"
        leakage = rate * flow["expected_annual"]
        if rate == 0:
            yield Find("pass", flow["licence"],
                       f"Royalties under licence {flow['licence']} leave {j} to a {flow['payee_country']} recipient free of "
                       f"withholding under {basis}; the relief must be claimed with the payer's forms and a residence certificate.",
                       figures={"withholding_rate": 0.0, "annual_tax": 0.0})
        elif flow["gross_up"] == "yes":
            yield Find("info", flow["licence"],
                       f"Royalties under licence {flow['licence']} leave {j} to a {flow['payee_country']} recipient; the licensee "
                       f"withholds {rate:.2%} ({basis}) and grosses up, so the SPV receives the full royalty.",
                       figures={"withholding_rate": rate, "annual_tax": leakage})
        else:
            unstated = " (the deal does not say whether licensees gross up)" if flow["gross_up"] == "unstated" else ""
            yield Find("risk", flow["licence"],
                       f"Royalties under licence {flow['licence']} leave {j} to a {flow['payee_country']} recipient; the licensee "
                       f"must withhold {rate:.2%} ({basis}) at source{unstated}, about {leakage:,.0f} a year that the SPV does not receive.",
                       figures={"withholding_rate": rate, "annual_tax": leakage},
                       remediation="Obtain a gross-up from the licensees or claim treaty relief with a tax residence certificate; "
                                   "size the notes on the net royalty.")

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
        found.append("the seller bears full recourse for losses on the assets")
    elif t["recourse"] == "limited":
        found.append("the seller bears limited recourse")
    if t["repurchase"]:
        found.append("the seller must repurchase the assets")
    if 0 <= t["price_ratio"] < TRUE_SALE_PRICE_RATIO:
        found.append(f"the price is {t['price_ratio']:.0%} of appraised value (ipsa flags below {TRUE_SALE_PRICE_RATIO:.0%})")
    if t["collections_via_seller"] and t["seller_services"]:
        found.append("the seller services the assets and collects into its own account, keeping control of the cash")
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
                       f"Transfer {t['transfer']} reads as a sale: no recourse, no repurchase obligation, a price near value and "
                       "no retained control of collections.")
            return
        yield Conclude("sale_may_be_loan", t["transfer"],
                       f"Transfer {t['transfer']} carries features of a secured loan: " + "; ".join(found) + ".",
                       {"country": j, "indicators": len(found)})

    def recharacterised(x):
        d = x.doubt
        yield Find("risk", d["about"],
                   f"A court in the seller's insolvency could treat transfer {d['about']} as a loan secured on the assets. The "
                   "assets would then stay in the seller's estate, the SPV would be a secured creditor at best, subject to the stay "
                   "and to the administrator's powers, and the notes would carry the originator's credit risk.",
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
                   f"Royalties under licence {flow['licence']} are paid into an account of the originator's group in {j}. Cash "
                   "mixed with the originator's own money may not be traceable as the SPV's; if the originator fails, it can be "
                   "swept into the estate and the SPV ranks as an unsecured creditor for it.")

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
            yield Find("pass", s["servicer"], "Servicing does not depend on the originator alone: "
                       + ("a backup servicer is named." if s["backup"] else "the servicer is outside the originator's group."))
            return
        yield Find("risk", s["servicer"],
                   "The originator services the pool and no backup servicer is named. If it fails, its administrator decides "
                   "whether to keep performing the servicing contract, and nobody is ready to invoice, collect and report in the meantime.")

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
        when = (f"For {window} days after it" if window is not None
                else "The statute sets no fixed look-back period for this ground, so for as long as it can be challenged")
        yield Find(
            "risk", t["transfer"],
            f"Transfer {t['transfer']} was made {t['days_before_as_of']} days before the assessment date at {t['price_ratio']:.0%} of "
            f"appraised value. {when}, an insolvency officer of the seller could seek to avoid it as a transfer at an undervalue "
            f"(ipsa flags prices below {TRUE_SALE_PRICE_RATIO:.0%} of appraised value; the statute sets no number).",
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
            gaps.append(f"the originator group controls it ({spv['originator_equity']:.0%} of equity) and no director is independent")
        if spv["originator_nominated_directors"] > 0:
            gaps.append(f"its {spv['originator_nominated_directors']} director(s) are all the originator's nominees")
        elif not spv["originator_controls"]:
            gaps.append("no director is independent")
    for key, words in (("separateness", "separateness covenants"), ("non_petition", "non-petition undertakings"),
                       ("limited_recourse", "limited-recourse terms"), ("activities_limited", "a limit on its activities to the deal")):
        if spv[key] != "yes":
            gaps.append(f"no {words}" + (" are stated" if spv[key] == "unstated" else ""))
    if spv["guarantees_affiliate_debt"] == "yes":
        gaps.append("it guarantees or secures debts of the originator's group")
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
                       "The SPV is separate from the originator: independent direction, separateness, non-petition and "
                       "limited-recourse terms, and activities limited to the deal.")
            return
        grave = spv["originator_controls"] and spv["independent_directors"] == 0 and spv["separateness"] != "yes"
        yield Find("fail" if grave else "risk", spv["party"],
                   f"{why} Here " + "; ".join(gaps) + ".",
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
                       f"The SPV is established in {j} but its form, {vehicle.name}, is a vehicle of {spv['form_jurisdiction']} law; "
                       f"{j} law does not offer it.")
        elif not spv["form_available"]:
            yield Find("fail", spv["party"], f"The deal uses a {vehicle.name}, which {j} law does not offer: {vehicle.reason}")
        elif spv["form"] in trustee_forms and spv["manager_type"] not in trustee_forms[spv["form"]]:
            who = "no trustee is named" if spv["manager"] == "none" else f"the trustee is a {spv['manager_type'].replace('_', ' ')}"
            allowed = " or ".join(t.replace("_", " ") for t in trustee_forms[spv["form"]])
            yield Find("fail", spv["party"], f"The deal uses a {vehicle.name} but {who}; the trustee must be a {allowed}.")
        else:
            yield Find("pass", spv["party"], f"The {vehicle.name} is a vehicle {j} law offers for this deal. {vehicle.summary}")

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
                       f"The {retainer} retains {o['retention_share']:.0%} ({o['retention_form'].replace('_', ' ')}), at least the "
                       f"{floor:.0%} required.", figures={"retained": o["retention_share"], "required": floor})
            return
        held = ("no retention is stated" if o["retention_share"] < 0
                else f"{o['retention_share']:.0%} is held by a party that is not the {retainer}" if not qualifies
                else f"only {o['retention_share']:.0%} is retained")
        yield Conclude("due_diligence_gap", "retention", f"The {j} retention requirement is not met: {held}.", {"regime": j})
        yield Find("fail", "deal",
                   f"The {retainer} must retain at least {floor:.0%} of the securitization, as {forms}; here {held}.",
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
                           f"The notes tranche the credit risk of the royalty pool, and the deal reaches {who}; it is a "
                           f"securitisation under the {regime} regime.", {"regime": regime})
            yield Find("info", "deal",
                       f"The deal is a securitisation under the {regime} regime (tranched credit risk, engaged through {who}); its "
                       "retention, transparency and investor due-diligence rules apply.")
        else:
            yield Find("pass", "deal",
                       f"The notes are a single class, so the credit risk is not tranched; the deal is not a securitisation under "
                       f"the {regime} regime and its securitisation rules do not apply.")

    return Rule(id=rule_id, jurisdiction=regime, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="None needed; the finding decides which of the regime's rules apply.",
                when=(On("o", "offering", engaged),), then=judge, tags=("scope",))


def transparency(rule_id: str, regime: str, *, law: Law, requirement: str) -> Rule:
    def judge(x):
        o = x.o
        if o["reporting_entity"] != "none":
            yield Find("pass", "deal", f"A reporting entity ({o['reporting_entity']}) is designated to make the transparency disclosures.")
            return
        yield Conclude("due_diligence_gap", "transparency",
                       f"No entity is designated to make the {regime} transparency disclosures.", {"regime": regime})
        yield Find("fail", "deal",
                   "No entity is designated to make the securitisation's transparency disclosures (underlying exposure data, "
                   "investor reports, transaction documents); the originator, sponsor and SSPE must designate one.")

    return Rule(id=rule_id, jurisdiction=regime, area="supervision", requirement=requirement, law=law.gist, citations=law.cites,
                remediation="Designate the originator (or the SSPE) as reporting entity and set up the reporting templates and repository.",
                when=(On("scope", "securitisation_in_scope", this.regime == regime), On("o", "offering")), then=judge,
                tags=("transparency",))


def investor_due_diligence(rule_id: str, regime: str, *, law: Law, requirement: str, investors) -> Rule:
    def judge(x):
        gap = x.gap
        yield Find("fail", gap["about"],
                   f"{regime} institutional investors must verify before investing that the retention and transparency duties "
                   f"are met; {gap['text'][0].lower() + gap['text'][1:]} They cannot hold the notes until this is cured.")

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
        caveat = "" if held is None or held.verified else " The list as ipsa holds it is unverified; confirm it against the current official list."
        if o["spv_country"] in members:
            yield Find("fail", "deal",
                       f"The SPV is established in {o['spv_country']}, which is on the list the {regime} regime bars SSPEs from.{caveat}")
        else:
            yield Find("pass", "deal",
                       f"The SPV's country, {o['spv_country']}, is not on the list the {regime} regime bars SSPEs from.{caveat}")

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
                   f"{j} patent {p['patent_number']} expires on {p['expiry']}, before the notes' legal final of {p['legal_final']}. "
                   f"{after_expiry} The risk model cuts its royalties off at expiry and erodes the licence after it.")

    return Rule(
        id=rule_id, jurisdiction=j, area="bankruptcy_remoteness",
        requirement=f"Royalties for a {j} patent end with its statutory term, which should outlast the notes.",
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
        return "EU investors" if self.regime == "EU" else "UK investors"


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
                       f"The originator is established {r.outside}, so {r.both_duties}. {r.regime_investors} can verify "
                       f"{r.both_checks} that it retains {o['retention_share']:.0%} (at least {floor:.0%}) and that "
                       f"{o['reporting_entity']} makes {r.information} available.",
                       figures={"retained": o["retention_share"], "required": floor})
            return
        if not retained:
            held = ("no retention is stated" if o["retention_share"] < 0
                    else f"{o['retention_share']:.0%} is held by a party that is not the originator, sponsor or original lender"
                    if o["retention_holder_role"] not in ELIGIBLE_RETAINERS else f"only {o['retention_share']:.0%} is retained")
            yield Conclude("due_diligence_gap", "retention",
                           f"The {r.third_country} is not bound by {r.retention_duty}, but {r.regime_investors} must verify "
                           f"{r.retention_check} that at least {floor:.0%} is retained: {held}.", {"regime": r.regime})
        if not reported:
            yield Conclude("due_diligence_gap", "transparency",
                           f"The {r.third_country} is not bound by {r.transparency_duty}, but {r.regime_investors} must verify "
                           f"{r.transparency_check} that {r.information} is made available: no entity is designated to "
                           "provide it.", {"regime": r.regime})
        yield Find("info", "deal", r.closing)

    return judge
