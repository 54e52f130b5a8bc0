"""Japan — tax: the TMK's dividend deduction, and withholding on royalties paid abroad."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding


def _payout(x):
    spv = x.spv
    floor = x.param("jp.tmk.min_payout_ratio")
    ratio = spv["payout_ratio"]
    if ratio < 0:
        yield Find("risk", spv["party"],
                   f"The deal does not state the TMK's payout ratio; it deducts its dividends, and stays tax-neutral, only if it "
                   f"pays out more than {floor:.0%} of its distributable profit.",
                   remediation="Fix a payout of more than 90% in the asset liquidation plan and articles.")
    elif ratio > floor:
        yield Find("pass", spv["party"], f"The TMK pays out {ratio:.0%} of its distributable profit, more than {floor:.0%}, and deducts its dividends.",
                   figures={"payout_ratio": ratio})
    else:
        yield Find("fail", spv["party"],
                   f"The TMK pays out only {ratio:.0%} of its distributable profit; at {floor:.0%} or less it cannot deduct its "
                   "dividends and pays corporate tax on its profit.", figures={"payout_ratio": ratio})


RULES = [
    Rule(
        id="JP-TAX-001",
        jurisdiction="JP",
        area="tax",
        tags=("entity_tax",),
        requirement="A TMK is tax-neutral only if it distributes more than 90% of its distributable profit.",
        law=("Act on Special Measures Concerning Taxation Art 67-14: a TMK meeting its conditions, among them a distribution of "
             "more than 90% of its distributable profit, deducts the dividends it pays from its taxable income."),
        citations=(cite("JP-SPECIAL-TAX-MEASURES-ACT", "67-14"),),
        remediation="Provide for a payout above 90% and meet the other conditions of Art 67-14.",
        when=(On("spv", "spv", this.form == "jp_tmk"),),
        parameters=("jp.tmk.min_payout_ratio",),
        then=_payout,
    ),
    withholding(
        "JP-TAX-002", "JP", parameter="jp.withholding.royalty_rate",
        requirement="Royalties paid from Japan to a non-resident bear income tax withheld at source unless a treaty reduces it.",
        law=Law((cite("JP-INCOME-TAX-ACT", "161"), cite("JP-INCOME-TAX-ACT", "212"), cite("JP-INCOME-TAX-ACT", "213")),
                "Income Tax Act Arts 161, 212 and 213: royalties for industrial property used in a business in Japan are "
                "Japan-source income, on which the payer withholds 20% (20.42% with the reconstruction surtax from 2013 to "
                "2037) when paying a non-resident; a treaty may reduce it."),
        rate_words="the domestic rate with the reconstruction surtax",
    ),
]
