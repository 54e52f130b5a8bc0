"""European Union — where the SSPE may be established (Regulation (EU) 2017/2402 Art 4, as amended in 2021)."""

import datetime as dt

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this

LIST_ID = "eu.non_cooperative_tax_jurisdictions"
ART4_AMENDED = dt.date(2021, 4, 9)  # Regulation (EU) 2021/557: Art 4 in the form ipsa read applies from this date

EU_MEMBER_STATES = frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                              "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})


def _location(x):
    from ipsa.knowledge_base import load

    o = x.o
    country = o["spv_country"].split("-")[0]
    if country in EU_MEMBER_STATES:
        yield Find("pass", "deal", msg("The SSPE is established in {country}, a Member State; Art 4 restricts only third "
                                       "countries.", country=country))
        return
    held = load().lists[LIST_ID].value_on(x.as_of)
    if held is None:
        yield Find("risk", "deal",
                   msg("The SSPE is established in {country}, a third country. ipsa holds no revision of Annex I "
                       "of the EU list of non-cooperative jurisdictions for tax purposes in force on {as_of}, so "
                       "it cannot say whether Art 4(b) bars it; check the list as it stood then.",
                       country=country, as_of=x.as_of),
                   remediation=msg("Check the SSPE's country against Annex I as it stood on the assessment date, and against the "
                               "EU high-risk AML list and the Art 4(c) tax-information agreement test."))
        return
    caveat = (N_(" The list as ipsa holds it is unverified (read only in secondary sources); confirm it against the Official "
              "Journal text.") if not held.verified else "")
    limbs = (N_(" ipsa checks only the tax list (Art 4(b)); the high-risk AML list (Art 4(a)) and the OECD Art 26 agreement "
             "test (Art 4(c)) must be checked separately."))
    if country in held.members:
        yield Find("fail", "deal",
                   msg("The SSPE is established in {country}, which is on Annex I of the EU list of "
                       "non-cooperative jurisdictions for tax purposes (revision of {v_from}). Art 4 forbids "
                       "establishing an SSPE there; the securitisation does not meet the Regulation, and EU "
                       "investors should not hold it.{caveat}",
                       country=country, v_from=held.from_, caveat=caveat))
    else:
        yield Find("pass", "deal",
                   msg("The SSPE's country, {country}, is not on Annex I of the EU list of non-cooperative "
                       "jurisdictions for tax purposes as revised on {v_from}.{limbs}{caveat}",
                       country=country, v_from=held.from_, limbs=limbs, caveat=caveat))


RULES = [
    Rule(
        id="EU-SPV-001",
        jurisdiction="EU",
        area="spv_form",
        tags=("location",),
        requirement="The SSPE of a securitisation reaching the EU is not established in a third country that Art 4 excludes.",
        law=("Regulation (EU) 2017/2402 Art 4, as amended by Regulation (EU) 2021/557 (from 2021-04-09): SSPEs shall not be "
             "established in a third country that is on the EU list of high-risk AML/CFT third countries, is listed in "
             "Annex I of the EU list of non-cooperative jurisdictions for tax purposes, or has no OECD Art 26 tax-information "
             "agreement with a Member State. ipsa holds the tax list as dated data, one entry per Council revision; the "
             "original 2017 text of Art 4 was not found, so ipsa does not apply Art 4 before 2021-04-09."),
        citations=(cite("EU-SECR", "4"),),
        remediation="Establish the SSPE in a Member State or in a third country on none of the Art 4 lists.",
        when=(On("o", "offering", this.eu_investors | this.originator_in_eu),),
        then=_location,
        effective_from=ART4_AMENDED,
    ),
]
