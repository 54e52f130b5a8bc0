"""China — tax: withholding on royalties leaving China, and transfer taxes on assigning patents."""

import datetime as dt

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding


def _vat(x):
    t = x.t
    if "CN" not in t["patent_offices"]:
        return
    rate = x.param("cn.vat.intangibles_rate")
    who = ("the SPV as buyer must withhold it because the seller is outside China"
           if t["seller_country"] != "CN" else "the seller accounts for it")
    yield Find("info", t["transfer"],
               f"Transfer {t['transfer']} conveys rights in Chinese patents for {t['price']:,.0f}; VAT at {rate:.0%} applies to "
               f"transfers of intangibles, about {rate * t['price']:,.0f}, and {who}. A qualifying technology-transfer exemption may "
               "apply and should be confirmed.",
               figures={"vat_rate": rate, "vat": rate * t["price"]})


def _stamp(x):
    t = x.t
    if "CN" not in t["patent_offices"]:
        return
    rate = x.param("cn.stamp_duty.patent_assignment_rate")
    yield Find("info", t["transfer"],
               f"The instrument for transfer {t['transfer']} bears stamp duty of {rate:.2%} of the price, about {rate * t['price']:,.0f}.",
               figures={"stamp_duty_rate": rate, "stamp_duty": rate * t["price"]})


RULES = [
    withholding(
        "CN-TAX-001", "CN", parameter="cn.eit.nonresident_royalty_withholding",
        requirement="Royalties paid from China to a non-resident bear enterprise income tax withheld at source on the gross amount.",
        law=Law((cite("CN-EIT-LAW", "3"), cite("CN-EIT-LAW", "19"), cite("CN-EIT-LAW", "37"), cite("CN-EIT-LAW", "58")),
                "EIT Law Arts 3(3), 19 and 37: a non-resident without a Chinese establishment is taxed on gross China-source "
                "royalties, withheld by the payer at each payment; the Implementing Regulations reduce the 20% rate of Art 4 "
                "to 10%; a tax treaty prevails (Art 58)."),
        rate_words="the reduced domestic rate",
    ),
    Rule(
        id="CN-TAX-002",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement="Transferring ownership of, or the right to use, a Chinese patent for value is subject to VAT.",
        law=("From 2026-01-01 the VAT Law taxes transfers of intangible assets' ownership or use rights (Art 3) at 6% (Art 10(3)), "
             "with the buyer withholding for a foreign seller (Art 15)."),
        citations=(cite("CN-VAT-LAW", "3"), cite("CN-VAT-LAW", "10"), cite("CN-VAT-LAW", "15")),
        remediation="Budget the VAT in the price, or document the technology-transfer exemption before closing.",
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
        law="The Stamp Duty Law (in force 2022-07-01) charges duty on instruments transferring patent rights, at 0.03% of the price.",
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
               f"A company SPV is an enterprise income taxpayer at {rate:.0%} on its profit; the spread between royalties and "
               "note interest is taxed, unlike in a special plan, which is used as a pass-through in practice.",
               figures={"entity_tax_rate": rate})


RULES += [
    Rule(
        id="CN-TAX-004",
        jurisdiction="CN",
        area="tax",
        tags=("vat",),
        requirement="Before 2026, transferring ownership of, or the right to use, a Chinese patent for value was subject to VAT under the 2016 reform notice.",
        law=("Caishui [2016] No. 36 extended VAT to sales of intangible assets, including transfers of patent rights, at 6%, "
             "with a technology-transfer exemption in its Annex 3; it applied until the VAT Law took effect on 2026-01-01."),
        citations=(cite("CN-CAISHUI-2016-36"),),
        remediation="Budget the VAT in the price, or document the technology-transfer exemption before closing.",
        when=(On("t", "transfer", this.price > 0),),
        parameters=("cn.vat.intangibles_rate",),
        then=_vat,
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
