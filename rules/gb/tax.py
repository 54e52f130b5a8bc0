"""United Kingdom — withholding on patent royalties paid to non-residents."""

from ipsa.engine.rulekit import cite
from ipsa.rules.patterns import Law, withholding

RULES = [
    withholding(
        "GB-TAX-001", "GB", parameter="gb.withholding.royalty_rate",
        requirement="UK-source patent royalties paid to a non-resident bear income tax deducted at the basic rate unless a treaty reduces it.",
        law=Law((cite("UK-ITA-2007", "903"),),
                "Income Tax Act 2007 s.903: a payer of UK-source patent royalties to a person whose usual place of abode is "
                "outside the UK deducts income tax at the basic rate (20%); a double tax treaty may reduce it."),
        rate_words="the basic rate",
    ),
]
