"""United Kingdom — the securitisation regime: scope, retention, transparency and investor due diligence.

The regime changed on 2024-11-01: the Securitisation Regulations 2024 (SI 2024/102) replaced the onshored EU
regulation, and the duties of originators, sponsors, SSPEs and institutional investors moved into the FCA's
Securitisation sourcebook (SECN) and the PRA Rulebook's Securitisation Part; the SI itself (reg 33) only requires the
regulators to make the investors' due-diligence rules. Each requirement has a rule per era: scope GB-SUP-005 then
GB-SUP-001, retention GB-SUP-006 then GB-SUP-002, transparency GB-SUP-007 then GB-SUP-003, investor due diligence
GB-SUP-008 then GB-SUP-004.

GB-SUP-011 to GB-SUP-016 read the risk model's results (concentration, a licensee that also supports the notes,
dependence on guarantors and insurers, the senior default probability against its target, patent life against the
notes) against rating-agency practice, the shape written once in rules/risk_practice.py: market practice, not law.
"""

from dataclasses import replace

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import On, Rule, cite, this
from ipsa.rules.patterns import (
    DueDiligenceRoute, Law, investor_due_diligence, risk_retention, securitisation_scope, third_country_originator, transparency,
)
from ipsa.rules.risk_practice import practices, risk_practice_rules, spv_in

ENGAGED = this.uk_investors | this.originator_in_uk
RETENTION_FORMS = N_("a vertical slice, a seller's share, randomly selected exposures or a first-loss tranche")


def _non_uk_originator(where: str):
    """Retention and transparency of an originator established outside the UK, reached only through UK investors'
    due diligence (`where` names the provisions of the era)."""
    return third_country_originator(DueDiligenceRoute(
        regime="GB", floor_parameter="gb.risk_retention.min_share", outside=N_("outside the UK"),
        third_country=N_("non-UK originator"), retention_duty=N_("the UK retention rule"),
        transparency_duty=N_("the UK transparency rule"), retention_check=msg("({where})", where=where),
        transparency_check=msg("({where})", where=where),
        information=N_("the information"), both_duties=N_("the UK retention and transparency duties do not bind it directly"),
        both_checks=msg("({where})", where=where),
        closing=(msg("The originator is established outside the UK: the UK retention and transparency duties do "
                     "not bind it and it is not in breach of them. The gap reaches the deal through UK "
                     "investors' due diligence ({where}), which bars them from holding the notes until it is "
                     "cured.", where=where))))


NON_UK_REMEDY = (N_("Obtain the originator's contractual undertaking to retain at least 5% in an eligible form and to provide the "
                 "required information through a designated reporting entity, or do not sell to UK institutional investors."))

RULES = [
    securitisation_scope(
        "GB-SUP-001", "GB",
        law=Law((cite("UK-SECR-2024", "3"),),
                "From 2024-11-01 the Securitisation Regulations 2024 (SI 2024/102), with the FCA's Securitisation sourcebook and "
                "the PRA's rules, govern securitisations (transactions tranching the credit risk of a pool) with UK investors "
                "or UK originators and sponsors. The definition in reg 3 was not read here."),
        engaged=ENGAGED,
        requirement="A tranched deal with UK investors or a UK originator is a securitisation under the Securitisation Regulations 2024.",
        who=N_("UK investors or a UK originator"),
    ),
    risk_retention(
        "GB-SUP-002", "GB", parameter="gb.risk_retention.min_share",
        requirement="A UK originator, sponsor or original lender retains a material net economic interest of at least 5%.",
        law=Law((cite("UK-FCA-SECN", "5.2.1R"), cite("UK-PRA-SECURITISATION", "4.2")),
                "From 2024-11-01 the retention duty is in the regulators' rules: SECN 5.2.1R for FCA-regulated parties (text "
                "not read here) and the PRA Securitisation Part, whose Chapter 4 Art 2 (read) says the Chapter 2 Art 6(1) "
                "retention is held by the originator(s), the sponsor(s) or the original lender(s), at least 5% on an ongoing basis. "
                "The duty binds an originator established in the UK; one established elsewhere is reached only through UK "
                "investors' due diligence (PRA Chapter 2 Art 5(1)(d), GB-SUP-009)."),
        condition=this.originator_in_uk, retainer=N_("originator, sponsor or original lender"), forms=RETENTION_FORMS,
        remediation="Have the originator retain at least 5% in an eligible form and disclose it.",
        scope="securitisation_in_scope",
    ),
    replace(
        transparency(
            "GB-SUP-003", "GB",
            law=Law((cite("UK-FCA-SECN", "6.2.1R"), cite("UK-FCA-SECN", "6.3.1R"), cite("UK-PRA-SECURITISATION", "5.2")),
                    "From 2024-11-01 the transparency duty is in SECN 6.2.1R (read; the designation, SECN 6.3.1R, not read "
                    "at the Handbook) and the PRA Securitisation Part Chapter 2 "
                    "Art 7, whose information on underlying exposures follows the templates of Chapter 5 Art 2 (read; Annex IX for "
                    "exposures such as royalty receivables). A UK originator, sponsor and SSPE make the information available and "
                    "designate one of them to do so; a non-UK originator is reached through UK investors' due diligence (GB-SUP-009)."),
            requirement="A UK originator, sponsor or SSPE designates one of them to make the UK transparency disclosures.",
        ),
        when=(On("scope", "securitisation_in_scope", this.regime == "GB"), On("o", "offering", this.originator_in_uk)),
    ),
    investor_due_diligence(
        "GB-SUP-004", "GB",
        law=Law((cite("UK-PRA-SECURITISATION", "2.5"), cite("UK-FCA-SECN", "4.2.1R"), cite("UK-SECR-2024", "33")),
                "From 2024-11-01 investor due diligence is in the regulators' rules, not the SI: reg 33 of SI 2024/102 (read) "
                "requires the PRA and the FCA to make due-diligence rules; the PRA Securitisation Part Chapter 2 Art 5 (read) "
                "and SECN 4.2.1R (read in points (a) to (c)) require UK institutional investors to verify, before holding a position, that the "
                "retention is held (at least 5% where the retainer is not established in the UK) and the information is available."),
        requirement="UK institutional investors may hold the notes only if retention and transparency are verifiably met.",
        investors=this.uk_investors,
    ),
    securitisation_scope(
        "GB-SUP-005", "GB",
        law=Law((cite("UK-SECR-ONSHORED", "2"),),
                "From 2021-01-01 until 2024-10-31 the onshored version of Regulation (EU) 2017/2402 governed securitisations "
                "(tranched credit risk) with UK investors or UK originators (onshored Art 2 not read here)."),
        engaged=ENGAGED,
        requirement="Before 2024-11-01, a tranched deal reaching the UK was a securitisation under the onshored UK Securitisation Regulation.",
        who=N_("UK investors or a UK originator"),
    ),
    risk_retention(
        "GB-SUP-006", "GB", parameter="gb.risk_retention.min_share",
        requirement="Before 2024-11-01, a UK originator, sponsor or original lender retained at least 5% under the onshored regulation.",
        law=Law((cite("UK-SECR-ONSHORED", "6"),),
                "The onshored Art 6 (not read here) required the originator, sponsor or original lender to retain a material net "
                "economic interest of at least 5%. Art 5(1)(c) (point (c) amended to 'established in the United Kingdom' by SI "
                "2019/660 reg 7, read) verified it for a UK retainer; a third-country one was reached through Art 5(1)(d) "
                "(GB-SUP-010)."),
        condition=this.originator_in_uk, retainer=N_("originator, sponsor or original lender"), forms=RETENTION_FORMS,
        remediation="Have the originator retain at least 5% in an eligible form and disclose it.",
        scope="securitisation_in_scope",
    ),
    replace(
        transparency(
            "GB-SUP-007", "GB",
            law=Law((cite("UK-SECR-ONSHORED", "7"),),
                    "From 2021-01-01 until 2024-10-31 the onshored Art 7 (not read here) required the originator, sponsor and SSPE "
                    "to make information on the underlying exposures, the transaction documents and investor reports available, "
                    "and to designate one of them to do so. Art 5(1)(e) (amended by SI 2019/660 reg 7, read) applied it to parties "
                    "established in the UK; a third-country originator was reached through Art 5(1)(f) (GB-SUP-010)."),
            requirement="Before 2024-11-01, a UK originator, sponsor or SSPE designated one of them to make the onshored Art 7 disclosures.",
        ),
        when=(On("scope", "securitisation_in_scope", this.regime == "GB"), On("o", "offering", this.originator_in_uk)),
    ),
    investor_due_diligence(
        "GB-SUP-008", "GB",
        law=Law((cite("UK-SECR-ONSHORED", "5"),),
                "From 2021-01-01 until 2024-10-31 the onshored Art 5(1) itself bound UK institutional investors: before holding a "
                "position they verified the retention and that the originator, sponsor or SSPE made the Art 7 information "
                "available (point (e) if established in the UK; substantially the same information if established in a third "
                "country, point (f), inserted by SI 2019/660 reg 7)."),
        requirement="Before 2024-11-01, UK institutional investors could hold the notes only if retention and transparency were verifiably met.",
        investors=this.uk_investors,
    ),
    Rule(
        id="GB-SUP-009", jurisdiction="GB", area="supervision", tags=("due_diligence",),
        requirement="From 2024-11-01, where the originator is outside the UK, UK investors must verify that it retains at least 5% and provides the information.",
        law=("PRA Securitisation Part Chapter 2 Art 5(1)(d) (read): a UK institutional investor verifies that an originator, "
             "sponsor or original lender not established in the UK retains on an ongoing basis a material net economic interest "
             "of not less than 5%; SECN 4.2.1R(1)(d) (not read) holds the FCA's equivalent and the information checks. The UK retention and "
             "transparency duties themselves bind only parties established in the UK."),
        citations=(cite("UK-PRA-SECURITISATION", "2.5"), cite("UK-FCA-SECN", "4.2.1R(1)(d)")),
        remediation=NON_UK_REMEDY,
        when=(On("scope", "securitisation_in_scope", this.regime == "GB"),
              On("o", "offering", this.uk_investors & ~this.originator_in_uk)),
        parameters=("gb.risk_retention.min_share",),
        then=_non_uk_originator(N_("PRA Securitisation Part Chapter 2 Art 5(1)(d) and SECN 4")),
    ),
    Rule(
        id="GB-SUP-010", jurisdiction="GB", area="supervision", tags=("due_diligence",),
        requirement="Before 2024-11-01, where the originator was outside the UK, UK investors had to verify that it retained at least 5% and provided the information.",
        law=("Onshored Art 5(1) (2021-01-01 to 2024-10-31): for a third-country originator, sponsor or original lender UK "
             "institutional investors verified a retention of not less than 5% (point (d), left unamended by SI 2019/660) and "
             "that substantially the same information as Art 7 requires had been made available (point (f), inserted by SI "
             "2019/660 reg 7, read). Arts 6 and 7 did not bind the third-country originator itself."),
        citations=(cite("UK-SECR-ONSHORED", "5"),),
        remediation=NON_UK_REMEDY,
        when=(On("scope", "securitisation_in_scope", this.regime == "GB"),
              On("o", "offering", this.uk_investors & ~this.originator_in_uk)),
        parameters=("gb.risk_retention.min_share",),
        then=_non_uk_originator(N_("onshored Art 5(1)(d) and (f)")),
    ),
]

# The risk core's results judged against rating-agency practice (rules/risk_practice.py): market practice, not law.
RULES += risk_practice_rules(
    "GB", ("GB-SUP-011", "GB-SUP-012", "GB-SUP-013", "GB-SUP-014", "GB-SUP-015", "GB-SUP-016"),
    spv=spv_in("GB"), where=N_("in the United Kingdom"),
    **practices("UK"),
)
