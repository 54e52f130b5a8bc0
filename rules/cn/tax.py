"""China — tax: withholding on royalties leaving China, and transfer taxes on assigning patents."""

import datetime as dt

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding


def _transfer_vat(x, exemption: str):
    t = x.t
    if "CN" not in t["patent_offices"]:
        return
    rate = x.param("cn.vat.intangibles_rate")
    who = (N_("the SPV as buyer must withhold it because the seller is outside China")
           if t["seller_country"] != "CN" else N_("the seller accounts for it"))
    yield Find("info", t["transfer"],
               msg("Transfer {transfer} conveys rights in Chinese patents for {price:,.0f}; VAT at {rate:.0%} "
                   "applies to transfers of intangibles, about {rate2:,.0f}, and {who}. {exemption}",
                   transfer=t['transfer'], price=t['price'], rate=rate, rate2=rate * t['price'], who=who, exemption=exemption),
               figures={"vat_rate": rate, "vat": rate * t["price"]})


def _vat(x):
    yield from _transfer_vat(
        x, N_("The VAT Law's list of exemptions (Art 24) has no technology-transfer exemption; relief would need a State Council "
           "measure under Art 25, which ipsa has not found, so do not assume one."))


def _vat_before_2026(x):
    yield from _transfer_vat(
        x, N_("The 2016 notice's Annex 3 is reported to exempt qualifying technology transfers; ipsa has not read its text, so "
           "confirm the exemption and its registration formalities before relying on it."))


def _stamp(x):
    t = x.t
    if "CN" not in t["patent_offices"]:
        return
    rate = x.param("cn.stamp_duty.patent_assignment_rate")
    yield Find("info", t["transfer"],
               msg("The instrument for transfer {transfer} bears stamp duty, about {rate:,.0f} at the "
                   "{rate2:.2%} of the price ipsa applies. That rate is unverified: it is set in the table "
                   "annexed to the Stamp Duty Law, which ipsa has not read at an official source; confirm it "
                   "before relying on the figure.",
                   transfer=t['transfer'], rate=rate * t['price'], rate2=rate),
               figures={"stamp_duty_rate": rate, "stamp_duty": rate * t["price"]})


RULES = [
    withholding(
        "CN-TAX-001", "CN", parameter="cn.eit.nonresident_royalty_withholding",
        requirement="Royalties paid from China to a non-resident bear enterprise income tax withheld at source on the gross amount.",
        law=Law((cite("CN-EIT-LAW", "3"), cite("CN-EIT-LAW", "19"), cite("CN-EIT-LAW", "37"), cite("CN-EIT-LAW", "27"),
                 cite("CN-EIT-IMPL", "91"), cite("CN-EIT-LAW", "58")),
                "EIT Law Arts 3(3), 19 and 37: a non-resident without a Chinese establishment is taxed on gross China-source "
                "royalties, withheld by the payer at each payment; the Law's 20% rate (Art 4) may be reduced (Art 27(5)) and "
                "Implementing Regulations Art 91 reduces it to 10%; a tax treaty prevails (Art 58). VAT is withheld as well "
                "(CN-TAX-006)."),
        rate_words=N_("the reduced domestic rate"),
    ),
    Rule(
        id="CN-TAX-002",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement="Transferring ownership of, or the right to use, a Chinese patent for value is subject to VAT.",
        law=("From 2026-01-01 the VAT Law taxes transfers of intangible assets' ownership or use rights (Art 3) at 6% (Art 10(3)), "
             "with the buyer withholding for a foreign seller (Art 15). Its list of exemptions (Art 24) has no technology-transfer "
             "item; only a State Council preference under Art 25 could add one."),
        citations=(cite("CN-VAT-LAW", "3"), cite("CN-VAT-LAW", "10"), cite("CN-VAT-LAW", "15"), cite("CN-VAT-LAW", "24"),
                   cite("CN-VAT-LAW", "25")),
        remediation=("Budget the VAT in the price. Do not rely on the pre-2026 technology-transfer exemption unless a State "
                     "Council measure under VAT Law Art 25 continuing it is confirmed."),
        when=(On("t", "transfer", this.price > 0),),
        parameters=("cn.vat.intangibles_rate",),
        then=_vat,
    ),
    Rule(
        id="CN-TAX-003",
        jurisdiction="CN",
        area="tax",
        tags=("stamp_duty",),
        requirement="An instrument transferring Chinese patent rights bears stamp duty.",
        law=("The Stamp Duty Law (in force 2022-07-01) charges duty on instruments transferring patent rights; ipsa applies 0.03% "
             "of the price, a rate it has not verified (the Law and its annexed rate table are in no stored official source)."),
        citations=(cite("CN-STAMP-DUTY-LAW"),),
        remediation="Budget the stamp duty and pay it on execution of the transfer instrument.",
        when=(On("t", "transfer", (this.price > 0) & ((this.method == "assignment") | (this.method == "sale") | (this.method == "sale_and_leaseback"))),),
        effective_from=dt.date(2022, 7, 1),
        parameters=("cn.stamp_duty.patent_assignment_rate",),
        then=_stamp,
    ),
]


def _entity_tax(x):
    spv = x.spv
    rate = x.param("cn.eit.standard_rate")
    yield Find("risk", spv["party"],
               msg("A company SPV is an enterprise income taxpayer at {rate:.0%} on its profit; the spread "
                   "between royalties and note interest is taxed, unlike in a special plan, which is used as a "
                   "pass-through in practice.", rate=rate),
               figures={"entity_tax_rate": rate})


RULES += [
    Rule(
        id="CN-TAX-004",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement="Before 2026, transferring ownership of, or the right to use, a Chinese patent for value was subject to VAT under the 2016 reform notice.",
        law=("Caishui [2016] No. 36 extended VAT to sales of intangible assets, including transfers of patent rights, at 6%, "
             "with a technology-transfer exemption reported in its Annex 3; it applied until the VAT Law took effect on "
             "2026-01-01. ipsa has not read the notice's text (unverified)."),
        citations=(cite("CN-CAISHUI-2016-36"),),
        remediation="Budget the VAT in the price, or confirm and document the technology-transfer exemption before closing.",
        when=(On("t", "transfer", this.price > 0),),
        parameters=("cn.vat.intangibles_rate",),
        then=_vat_before_2026,
    ),
    Rule(
        id="CN-TAX-005",
        jurisdiction="CN",
        area="tax",
        tags=("entity_tax",),
        requirement="A company used as the SPV pays enterprise income tax on its profit; it is not tax-neutral.",
        law="EIT Law Art 4: the standard enterprise income tax rate is 25%; a company SPV resident in China pays it on its profit.",
        citations=(cite("CN-EIT-LAW", "4"),),
        remediation="Use an asset-backed special plan, or keep the company's taxable spread minimal through its funding terms.",
        when=(On("spv", "spv", this.form == "cn_company"),),
        parameters=("cn.eit.standard_rate",),
        then=_entity_tax,
    ),
]


# -- VAT on royalties paid for patents used in China -------------------------------------------------------------------

def _royalty_vat(x, law_words: str):
    flow = x.flow
    territory = flow["territory_countries"]
    if not ("CN" in territory or (not territory and "CN" in flow["patent_offices"])):
        return  # the licence is not consumed in China
    rate = x.param("cn.vat.intangibles_rate")
    annual = rate * flow["expected_annual"]
    if flow["licensor_country"] == "CN":
        yield Find("info", flow["licence"],
                   msg("Royalties under licence {licence} go to a {payee_country} recipient, but the licensor "
                       "{licensor} is Chinese: the VAT on the licence ({rate:.0%}, about {annual:,.0f} a year) is "
                       "the licensor's own output tax, not withheld by the licensee ({law_words}). It is a cost of "
                       "the originator, beside the income tax withheld on royalties paid abroad (CN-TAX-001).",
                       licence=flow['licence'], payee_country=flow['payee_country'], licensor=flow['licensor'], rate=rate, annual=annual, law_words=law_words),
                   figures={"vat_rate": rate})
        return
    if flow["gross_up"] == "yes":
        yield Find("info", flow["licence"],
                   msg("The licensor {licensor} is outside China and the patents are used in China, so the "
                       "licensee withholds VAT of {rate:.0%} on the royalties under licence {licence} "
                       "({law_words}), about {annual:,.0f} a year, and grosses up, so the full royalty is "
                       "received.",
                       licensor=flow['licensor'], rate=rate, licence=flow['licence'], law_words=law_words, annual=annual),
                   figures={"vat_rate": rate, "annual_vat": annual})
        return
    unstated = N_(" (the deal does not say whether licensees gross up)") if flow["gross_up"] == "unstated" else ""
    yield Find("risk", flow["licence"],
               msg("The licensor {licensor} is outside China and the patents are used in China, so the "
                   "licensee must withhold VAT of {rate:.0%} on the royalties under licence {licence} "
                   "({law_words}){unstated}, about {annual:,.0f} a year the royalty recipient does not "
                   "receive, beside any income tax withheld (CN-TAX-001).",
                   licensor=flow['licensor'], rate=rate, licence=flow['licence'], law_words=law_words, unstated=unstated, annual=annual),
               figures={"vat_rate": rate, "annual_tax": annual},
               remediation=msg("Provide that royalties are paid free of VAT withheld (the licensee bears it and may credit it as input "
                           "VAT), or size the notes on the net royalty."))


def _royalty_vat_law(x):
    yield from _royalty_vat(x, N_("VAT Law Arts 3, 4, 10(3) and 15"))


def _royalty_vat_before_2026(x):
    yield from _royalty_vat(x, N_("Caishui [2016] No. 36 as ipsa holds it, unverified"))


ROYALTY_PAID_ABROAD_OR_FOREIGN_LICENSOR = (this.payer_country == "CN") & (
    (this.licensor_country != "CN") | (this.payee_country != "CN"))

RULES += [
    Rule(
        id="CN-TAX-006",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement=("From 2026, royalties for patents used in China bear VAT at 6%, which the Chinese licensee withholds "
                     "where the licensor is outside China."),
        law=("VAT Law: licensing an intangible asset for value is a taxable transaction (Art 3), made in China where the "
             "intangible is used in China or the seller is Chinese (Art 4(4)), at 6% (Art 10(3)), charged on top of the price "
             "(Art 7); where the seller is outside China, the buyer withholds the VAT at the sales amount times the rate (Art 15). "
             "A Chinese licensor accounts for the VAT itself, even where the royalties are paid abroad."),
        citations=(cite("CN-VAT-LAW", "3"), cite("CN-VAT-LAW", "4"), cite("CN-VAT-LAW", "10"), cite("CN-VAT-LAW", "15"),
                   cite("CN-VAT-LAW", "7")),
        remediation="Provide that royalties are paid free of VAT withheld, or size the notes on the net royalty.",
        when=(On("flow", "royalty_flow", ROYALTY_PAID_ABROAD_OR_FOREIGN_LICENSOR),),
        parameters=("cn.vat.intangibles_rate",),
        then=_royalty_vat_law,
    ),
    Rule(
        id="CN-TAX-007",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement=("Before 2026, royalties for patents used in China bore VAT at 6% under the 2016 reform notice, withheld by "
                     "the Chinese licensee where the licensor was outside China."),
        law=("Caishui [2016] No. 36 (unverified: its text was not read) taxed the licensing of intangible assets at 6% and made "
             "the buyer withhold for a seller outside China; it applied until the VAT Law took effect on 2026-01-01. A "
             "technology-transfer exemption reported in its Annex 3 may have covered qualifying patent licences."),
        citations=(cite("CN-CAISHUI-2016-36"),),
        remediation="Provide that royalties are paid free of VAT withheld, or confirm the technology-transfer exemption; size the notes on the net royalty.",
        when=(On("flow", "royalty_flow", ROYALTY_PAID_ABROAD_OR_FOREIGN_LICENSOR),),
        parameters=("cn.vat.intangibles_rate",),
        then=_royalty_vat_before_2026,
    ),
]
