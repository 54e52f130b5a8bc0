"""China — tax: withholding on royalties leaving China, and transfer taxes on assigning patents."""

import datetime as dt

from ipsa.engine.rulekit import Find, On, Rule, cite, m



def _withholding(x):
    flow = x.flow
    statutory = x.param("cn.eit.nonresident_royalty_withholding")
    rate = flow["treaty_rate"] if flow["treaty_rate"] >= 0 else statutory
    basis = f"the {flow['treaty']} rate" if flow["treaty_rate"] >= 0 else "the reduced domestic rate (no treaty rate was given)"
    leakage = rate * flow["expected_annual"]
    if flow["gross_up"] == "yes":
        yield Find("info", flow["licence"],
                   f"Royalties under licence {flow['licence']} leave China to a {flow['payee_country']} recipient; the licensee withholds "
                   f"{rate:.0%} ({basis}) and grosses up, so the SPV receives the full royalty.",
                   figures={"withholding_rate": rate, "annual_tax": leakage})
    else:
        unstated = " (the deal does not say whether licensees gross up)" if flow["gross_up"] == "unstated" else ""
        yield Find("risk", flow["licence"],
                   f"Royalties under licence {flow['licence']} leave China to a {flow['payee_country']} recipient; the licensee must "
                   f"withhold {rate:.0%} ({basis}) at source{unstated}, about {leakage:,.0f} a year that the SPV does not receive.",
                   figures={"withholding_rate": rate, "annual_tax": leakage},
                   remediation="Obtain a gross-up from the licensees or claim treaty relief with a tax residence certificate; model the net royalty.")


def _vat(x):
    t = x.t
    if "CN" not in t["patent_offices"]:
        return
    rate = x.param("cn.vat.intangibles_rate")
    who = ("the SPV as buyer must withhold it because the seller is outside China"
           if t["seller_country"] != "CN" and x.as_of >= dt.date(2026, 1, 1) else "the seller accounts for it")
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
    Rule(
        id="CN-TAX-001",
        jurisdiction="CN",
        area="tax",
        requirement="Royalties paid from China to a non-resident bear enterprise income tax withheld at source on the gross amount.",
        law=("EIT Law Arts 3(3), 19 and 37: a non-resident without a Chinese establishment is taxed on gross China-source royalties, "
             "withheld by the payer at each payment; the Implementing Regulations reduce the 20% rate of Art 4 to 10%; "
             "a tax treaty prevails (Art 58)."),
        citations=(cite("CN-EIT-LAW", "3"), cite("CN-EIT-LAW", "19"), cite("CN-EIT-LAW", "37"), cite("CN-EIT-LAW", "58")),
        remediation="Obtain a gross-up from the licensees or claim treaty relief; size the notes on net royalties.",
        when=(On("flow", "royalty_flow", (m.payer_country == "CN") & (m.payee_country != "CN")),),
        parameters=("cn.eit.nonresident_royalty_withholding",),
        then=_withholding,
    ),
    Rule(
        id="CN-TAX-002",
        jurisdiction="CN",
        area="tax",
        requirement="Transferring ownership of, or the right to use, a Chinese patent for value is subject to VAT.",
        law=("From 2026-01-01 the VAT Law taxes transfers of intangible assets' ownership or use rights (Art 3) at 6% (Art 10(3)), "
             "with the buyer withholding for a foreign seller (Art 15); before then the 2016 VAT reform notice applied the same rate."),
        citations=(cite("CN-VAT-LAW", "3"), cite("CN-VAT-LAW", "15")),
        remediation="Budget the VAT in the price, or document the technology-transfer exemption before closing.",
        when=(On("t", "transfer", m.price > 0),),
        parameters=("cn.vat.intangibles_rate",),
        then=_vat,
    ),
    Rule(
        id="CN-TAX-003",
        jurisdiction="CN",
        area="tax",
        requirement="An instrument transferring Chinese patent rights bears stamp duty.",
        law="The Stamp Duty Law (in force 2022-07-01) charges duty on instruments transferring patent rights, at 0.03% of the price.",
        citations=(cite("CN-STAMP-DUTY-LAW"),),
        remediation="Budget the stamp duty and pay it on execution of the transfer instrument.",
        when=(On("t", "transfer", (m.price > 0) & ((m.method == "assignment") | (m.method == "sale") | (m.method == "sale_and_leaseback"))),),
        effective_from=dt.date(2022, 7, 1),
        parameters=("cn.stamp_duty.patent_assignment_rate",),
        then=_stamp,
    ),
]
