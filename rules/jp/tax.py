"""Japan — tax: the TMK's dividend deduction (the payout test and the other conditions of Special Taxation Measures
Act Art 67-14), and withholding on royalties paid abroad (income tax with the reconstruction surtax)."""

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding

INSTITUTIONAL = frozenset({"institutional", "qualified"})
TRUSTEES = ("trust_company", "trust_bank")


def _payout(x):
    spv = x.spv
    floor = x.param("jp.tmk.min_payout_ratio")
    ratio = spv["payout_ratio"]
    if ratio < 0:
        yield Find("risk", spv["party"],
                   msg("The deal does not state the TMK's payout ratio; it deducts its dividends, and stays "
                       "tax-neutral, only if it pays out more than {floor:.0%} of its distributable profit.",
                       floor=floor),
                   remediation=msg("Fix a payout of more than 90% in the asset liquidation plan and articles."))
    elif ratio > floor:
        yield Find("pass", spv["party"],
                   msg("The TMK pays out {ratio:.0%} of its distributable profit, more than {floor:.0%}: the "
                       "payout condition of the dividend deduction is met (its other conditions are judged by "
                       "JP-TAX-003).", ratio=ratio, floor=floor),
                   figures={"payout_ratio": ratio})
    else:
        yield Find("fail", spv["party"],
                   msg("The TMK pays out only {ratio:.0%} of its distributable profit; at {floor:.0%} or less it "
                       "cannot deduct its dividends and pays corporate tax on its profit.",
                       ratio=ratio, floor=floor), figures={"payout_ratio": ratio})


def _other_conditions(x):
    spv, o = x.spv, x.o
    met, open_ = [], []
    if "JP_LFB" in o["regulators_filed"]:
        met.append(N_("its business-commencement notification is recorded (confirm its entry in the register of TMKs that "
                   "Art 67-14(1)(i)(a) requires, kept under Asset Securitization Act Art 8(1), not read)"))
    else:
        open_.append(N_("no business-commencement notification is recorded, so nothing shows the TMK entered in the register of "
                     "TMKs (Art 67-14(1)(i)(a))"))
    types = set(o["investor_types"])
    if o["public"]:
        met.append(N_("its specified bonds are publicly offered, which meets Art 67-14(1)(i)(b)(1) if they total ¥100 million "
                   "or more"))
    elif types and types <= INSTITUTIONAL:
        met.append(N_("its specified bonds are sold only to institutional investors (Art 67-14(1)(i)(b)(2); the Ministry of "
                   "Finance ordinance defines who counts)"))
    else:
        open_.append(msg("its specified bonds are privately placed with {value} investors, so neither bond limb of "
                         "Art 67-14(1)(i)(b) is shown (a public offering of ¥100 million or more, or holding only by "
                         "institutional investors); only a preferred-equity limb (50 or more subscribers, or "
                         "institutional subscribers only) could still meet it",
                         value=joined(sorted(types - INSTITUTIONAL), ", ") or 'unstated'))
    abroad = [j for j in o["investor_jurisdictions"] if j != "JP"]
    if abroad:
        open_.append(msg("investors are named in {abroad}; the TMK's preferred equity (and specified equity) must be "
                         "offered mainly in Japan (Art 67-14(1)(i)(c))", abroad=joined(abroad, ", ")))
    else:
        met.append(N_("its investors are in Japan, consistent with the offering of its equity mainly in Japan (Art 67-14(1)(i)(c))"))
    if spv["manager_type"] in TRUSTEES:
        met.append(msg("a {manager_type} is named to hold its specified assets in trust (Art 67-14(1)(ii)(c))",
                       manager_type=spv['manager_type'].replace('_', ' ')))
    else:
        open_.append(N_("no trust company or trust bank is named to hold its specified assets in trust, and nothing shows their "
                     "management entrusted as Asset Securitization Act Art 200(2) allows (Art 67-14(1)(ii)(c))"))
    untested = (N_("ipsa does not test the other conditions: business confined to the asset liquidation plan, no other business, "
                "not a family company of the prescribed kind, no unlimited-liability partnership, the Cabinet Order's "
                "conditions, and the claim in the return with the documents kept (Art 67-14(1)(ii), (6))."))
    if open_:
        yield Find("risk", spv["party"],
                   msg("The TMK's dividend deduction needs more than the payout test (Special Taxation Measures Act Art 67-14), and "
                   "the deal does not show every condition: ") + joined(open_, "; ") + "." + (
                       msg(" Shown: {met}.", met=joined(met, "; ")) if met else "") + " " + untested,
                   figures={"conditions_open": float(len(open_))})
    else:
        yield Find("pass", spv["party"],
                   msg("The deal shows the conditions of the TMK's dividend deduction that ipsa tests besides the payout "
                   "(Special Taxation Measures Act Art 67-14): ") + joined(met, "; ") + ". " + untested)


RULES = [
    Rule(
        id="JP-TAX-001",
        jurisdiction="JP",
        area="tax",
        tags=("entity_tax",),
        requirement="A TMK deducts its dividends only if it distributes more than 90% of its distributable profit.",
        law=("Act on Special Measures Concerning Taxation Art 67-14(1)(ii)(e): a TMK deducts the dividends for a business year "
             "only if they exceed 90% of its distributable profit as the Cabinet Order computes it; the article's other "
             "conditions are judged by JP-TAX-003."),
        citations=(cite("JP-SPECIAL-TAX-MEASURES-ACT", "67-14"),),
        remediation="Provide for a payout above 90% and meet the other conditions of Art 67-14.",
        when=(On("spv", "spv", this.form == "jp_tmk"),),
        parameters=("jp.tmk.min_payout_ratio",),
        then=_payout,
    ),
    Rule(
        id="JP-TAX-003",
        jurisdiction="JP",
        area="tax",
        tags=("entity_tax",),
        requirement=("A TMK's dividend deduction also needs its entry in the TMK register, widely held or institutionally held "
                     "securities offered mainly in Japan, and its specified assets held in trust."),
        law=("Act on Special Measures Concerning Taxation Art 67-14(1): besides the payout test, the TMK must (i)(a) be entered "
             "in the register of TMKs; (i)(b) have publicly offered specified bonds totalling ¥100 million or more, or "
             "specified bonds expected to be held only by institutional investors, or preferred equity taken up by 50 or more "
             "persons or only by institutional investors; (i)(c) have its preferred and specified equity offered mainly in "
             "Japan; and for the year (ii)(a)-(b) conduct only the business of its asset liquidation plan, (ii)(c) hold its "
             "specified assets in trust under Asset Securitization Act Art 200(1) or have their management entrusted under "
             "Art 200(2), (ii)(d) not be a family company of the prescribed kind and (ii)(f) not be an unlimited partner."),
        citations=(cite("JP-SPECIAL-TAX-MEASURES-ACT", "67-14"), cite("JP-ASSET-SECURITIZATION-ACT", "200")),
        remediation=("Complete the notification, place the specified bonds with institutional investors (or offer them publicly "
                     "for ¥100 million or more), offer the equity mainly in Japan, and settle the specified assets in trust "
                     "with a trust company or trust bank."),
        when=(On("spv", "spv", this.form == "jp_tmk"), On("o", "offering", this.spv_form == "jp_tmk")),
        then=_other_conditions,
    ),
    withholding(
        "JP-TAX-002", "JP", parameter="jp.withholding.royalty_rate",
        requirement="Royalties paid from Japan to a non-resident bear income tax withheld at source unless a treaty reduces it.",
        law=Law((cite("JP-INCOME-TAX-ACT", "161"), cite("JP-INCOME-TAX-ACT", "212"), cite("JP-INCOME-TAX-ACT", "213"),
                 cite("JP-RECONSTRUCTION-FUNDING-ACT", "28")),
                "Income Tax Act Art 161(1)(xi): royalties for industrial property and other technology rights received from a "
                "person doing business in Japan are Japan-source income; Art 212(1): the payer withholds income tax when it "
                "pays them to a non-resident or foreign corporation; Art 213(1)(i): at 20%. The special reconstruction income "
                "tax, levied under the reconstruction-funding Act (Act No. 117 of 2011, Art 28) and not under Art 213, adds "
                "2.1% of that tax from 2013 to 2037 (20.42% in all). The FY2026 tax reform (surtax cut to 1.1% and extended to "
                "2047, and a 1% defence surtax from 2027, per the MOF's outline) is not reflected because its enacted text was "
                "not found. A treaty may reduce the rate."),
        rate_words=(N_("the domestic 20% with the 2.1% reconstruction surtax; the FY2026 reform is not reflected, its enacted "
                    "text not having been read")),
    ),
]
