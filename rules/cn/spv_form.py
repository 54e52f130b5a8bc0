"""China — the vehicle: which forms exist for an IP-backed deal and whether the chosen one fits."""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Conclude, Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, spv_separateness, vehicle_offered

ELIGIBLE_PLAN_MANAGERS = ("securities_company", "fund_management_subsidiary")


def _plan_manager(x):
    spv = x.spv
    if spv["manager_type"] in ELIGIBLE_PLAN_MANAGERS:
        yield Find("pass", spv["party"],
                   msg("The special plan is managed by a {manager_type}, a manager the CSRC rules admit.",
                       manager_type=spv['manager_type'].replace('_', ' ')))
    else:
        who = N_("no manager is named") if spv["manager"] == "none" else msg("its manager is a {manager_type}", manager_type=spv['manager_type'].replace('_', ' '))
        yield Find("fail", spv["party"],
                   msg("The deal uses an asset-backed special plan but {who}; only a securities company or a "
                       "fund-management subsidiary may set up and manage one.", who=who))


def _trustee(x):
    spv = x.spv
    if spv["manager_type"] == "trust_company":
        yield Find("pass", spv["party"], msg("The special-purpose trust has a trust company as trustee and issuer."))
    else:
        who = N_("no trustee is named") if spv["manager"] == "none" else msg("the trustee is a {manager_type}", manager_type=spv['manager_type'].replace('_', ' '))
        yield Find("fail", spv["party"],
                   msg("The deal uses a special-purpose trust but {who}; the credit-asset securitization rules "
                       "require a trust company as trustee and issuer.", who=who))


def _patent_in_trust(x):
    p = x.pool
    yield Conclude("trust_may_have_no_effect", p["patent"],
                   msg("The trust over CN patent {patent_number} needs trust registration because patents are "
                       "registrable property, and no working route to register a patent-in-trust was found; "
                       "unregistered, the trust has no effect.", patent_number=p['patent_number']),
                   {"office": p["office"], "patent_number": p["patent_number"]})
    yield Find("risk", p["patent"],
               msg("CN patent {patent_number} is settled into a trust. Trust Law Art 10 makes such a trust "
                   "ineffective unless registered, and no registration route for patents held in trust is in "
                   "use; Chinese IP deals therefore use licence or sublicence structures instead.",
                   patent_number=p['patent_number']))


RULES = [
    Rule(
        id="CN-SPV-001",
        jurisdiction="CN",
        area="spv_form",
        tags=("vehicle_form",),
        requirement="An asset-backed special plan must be set up and managed by a securities company or a fund-management subsidiary.",
        law=("CSRC Announcement [2014] No. 49 makes the asset-backed special plan the exchange-market securitization vehicle and "
             "reserves its establishment and management to securities companies and subsidiaries of fund-management companies."),
        citations=(cite("CN-CSRC-2014-49"),),
        remediation="Appoint a securities company or a fund-management subsidiary as plan manager before establishment.",
        when=(On("spv", "spv", this.form == "cn_asset_backed_special_plan"),),
        then=_plan_manager,
    ),
    Rule(
        id="CN-SPV-002",
        jurisdiction="CN",
        area="spv_form",
        tags=("vehicle_form",),
        requirement="A special-purpose trust for credit-asset securitization must have a trust company as trustee.",
        law=("The PBOC/CBRC pilot measures of 2005 build credit-asset securitization on a special-purpose trust whose trustee "
             "and issuer is a trust company; the Trust Law keeps the trust property apart from the settlor and the trustee."),
        citations=(cite("CN-PBOC-CBRC-2005-7"), cite("CN-TRUST-LAW", "16")),
        remediation="Appoint a licensed trust company as trustee, or use an asset-backed special plan.",
        when=(On("spv", "spv", this.form == "cn_special_purpose_trust"),),
        then=_trustee,
    ),
    Rule(
        id="CN-SPV-003",
        jurisdiction="CN",
        area="spv_form",
        tags=("patent_in_trust",),
        requirement="A trust over Chinese patents takes effect only if the trust is registered, and no such registration route is in use.",
        law=("Trust Law Art 10: where the law requires registration for the property placed in trust, the trust must be "
             "registered, and without registration the trust has no effect. Patents are registrable property (Patent Law Art 10)."),
        citations=(cite("CN-TRUST-LAW", "10"), cite("CN-PATENT-LAW", "10")),
        remediation=("Restructure as a licence/sublicence deal: the originator licenses the patents (recorded with CNIPA) and "
                     "assigns the licence receivables to the plan, or assigns the patents outright with CNIPA registration."),
        when=(On("pool", "pool_patent", (this.office == "CN") & this.in_trust),),
        then=_patent_in_trust,
    ),
]

RULES.append(spv_separateness(
    "CN-SPV-004", "CN",
    law=Law((cite("CN-EBL", "30"), cite("CN-CSRC-2014-49")),
            "A special plan's assets are kept apart from the originator, manager and custodian by the CSRC rules (a "
            "departmental rule, not a statute, untested against an administrator), and trust property by the Trust Law; a "
            "company SPV has no such isolation, so whether its assets stay out of the originator's estate (Enterprise "
            "Bankruptcy Law Art 30) depends on how separate it really is."),
    requirement="A company SPV, which no statute isolates, must be separate from the originator in control, direction and conduct.",
    exempt_forms=("cn_asset_backed_special_plan", "cn_special_purpose_trust"),
    why=N_("A Chinese company SPV has no statutory isolation from its parent; courts asked to merge related companies look at control, "
        "shared management and mixed assets."),
))

RULES.append(vehicle_offered(
    "CN-SPV-005", "CN",
    law=Law((cite("CN-CSRC-2014-49"), cite("CN-PBOC-CBRC-2005-7")),
            "Chinese IP securitizations use the asset-backed special plan of the CSRC rules or, for credit assets, the "
            "special-purpose trust of the PBOC/CBRC measures; an ordinary company can hold assets but has no statutory isolation."),
    requirement="A Chinese SPV must be a form Chinese law offers: a special plan, a special-purpose trust or a company.",
    remediation="Use an asset-backed special plan managed by a securities company or fund-management subsidiary.",
))


def _credit_originator(x):
    spv, orig = x.spv, x.orig
    if orig["entity_type"] == "bank":
        yield Find("pass", spv["party"], msg("The originator is a bank, the kind of originator the credit-asset securitization rules admit."))
    else:
        yield Find("fail", spv["party"],
                   msg("The special-purpose trust serves credit-asset securitization by banking financial "
                       "institutions; the originator here is a {entity_type}, so it cannot use that route for IP "
                       "receivables.", entity_type=orig['entity_type'].replace('_', ' ')))


RULES.append(Rule(
    id="CN-SPV-006",
    jurisdiction="CN",
    area="spv_form",
    tags=("vehicle_form",),
    requirement="A credit-asset special-purpose trust is open only to banking financial institutions as originators.",
    law=("The PBOC/CBRC pilot measures of 2005 govern credit-asset securitization in which a banking financial institution, "
         "as originator, entrusts credit assets to a trust company; a non-bank originator of IP receivables uses the "
         "asset-backed special plan instead."),
    citations=(cite("CN-PBOC-CBRC-2005-7"),),
    remediation="Use an asset-backed special plan managed by a securities company or a fund-management subsidiary.",
    when=(On("spv", "spv", this.form == "cn_special_purpose_trust"), On("orig", "originator", this.country == "CN")),
    then=_credit_originator,
))
