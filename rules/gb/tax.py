"""United Kingdom — withholding on patent royalties paid to non-residents."""

from ipsa.engine.text import N_
from ipsa.engine.rulekit import cite
from ipsa.rules.patterns import Law, withholding

RULES = [
    withholding(
        "GB-TAX-001", "GB", parameter="gb.withholding.royalty_rate",
        requirement="UK-source patent royalties bear income tax deducted at the basic rate, whoever is paid; paid abroad, only a treaty reduces it.",
        law=Law((cite("UK-ITA-2007", "903"),),
                "Income Tax Act 2007 s.903: the payer of a royalty for the use of a patent that arises in the UK and is "
                "charged to tax deducts income tax at the basic rate (20%), whoever receives it; Chapter 8 (s.903(8)) lets "
                "the payer deduct at a treaty rate. The 'usual place of abode outside the UK' test belongs to s.906, not "
                "s.903. This rule looks at royalties paid to a recipient outside the UK; a deduction on payments within the "
                "UK (and the exception for payments between UK companies) is not assessed."),
        rate_words=N_("the basic rate"),
    ),
]
