"""Vietnam — tax: a company SPV pays corporate income tax, no VAT on technology transfer, foreign contractor tax."""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding


def _entity_tax(x):
    spv = x.spv
    rate = x.param("vn.cit.standard_rate")
    yield Find("risk", spv["party"],
               msg("A Vietnamese company SPV is not a pass-through: it pays corporate income tax at {rate:.0%} "
                   "on the spread between royalties and its costs, including bond interest only so far as it "
                   "is deductible.", rate=rate),
               figures={"entity_tax_rate": rate})


def _no_vat(x):
    t = x.t
    if "VN" not in t["patent_offices"]:
        return
    yield Find("info", t["transfer"],
               msg("Transfer {transfer} assigns Vietnamese patents. On ipsa's reading the 2024 VAT Law, like "
                   "the law before it, treats technology transfer and the transfer (assignment) of "
                   "intellectual property rights as not subject to VAT, so no VAT would be due on the price; "
                   "the article listing what is not subject to VAT (Art 5) has not been read, and under the "
                   "previous law the exemption did not reach licences of IP rights. Confirm with tax counsel.",
                   transfer=t['transfer']))


RULES = [
    Rule(
        id="VN-TAX-001",
        jurisdiction="VN",
        area="tax",
        tags=("entity_tax",),
        requirement="A Vietnamese company SPV pays corporate income tax; there is no tax-neutral vehicle.",
        law="The Law on Corporate Income Tax taxes a company SPV like any enterprise at the standard rate; Vietnam has no pass-through vehicle.",
        citations=(cite("VN-CIT-LAW"),),
        remediation="Model the entity tax in the cash flow, and keep the SPV's taxable spread minimal.",
        when=(On("spv", "spv", this.form == "vn_company"),),
        parameters=("vn.cit.standard_rate",),
        then=_entity_tax,
    ),
    Rule(
        id="VN-TAX-002",
        jurisdiction="VN",
        area="tax",
        tags=("vat",),
        requirement="An assignment of Vietnamese patents bears no VAT.",
        law=("On ipsa's unverified reading, the VAT Law of 2024 (in force 2025-07-01) keeps technology transfer and the transfer "
             "of intellectual property rights among matters not subject to VAT (its Art 5 was not found at a source; the previous "
             "law's exemption, in Circular 219/2013 Art 4(21), covered transfers of IP rights, not licences)."),
        citations=(cite("VN-VAT-LAW-2024"),),
        remediation="None needed; keep the technology-transfer documentation that supports the treatment.",
        when=(On("t", "transfer", (this.price > 0) & this.title_passes),),
        then=_no_vat,
    ),
    withholding(
        "VN-TAX-003", "VN", parameter="vn.fct.royalty_cit_rate",
        requirement="Royalties paid from Vietnam to a foreign recipient bear foreign contractor tax withheld by the payer.",
        law=Law((cite("VN-CIRCULAR-103-2014"),),
                "Circular 103/2014/TT-BTC: royalties paid to a foreign organisation bear foreign contractor tax, whose "
                "corporate income tax part is 10%, withheld by the Vietnamese payer; a treaty may reduce it."),
        rate_words=N_("the 10% corporate income tax part of the foreign contractor tax"),
    ),
]
