Feature: United Kingdom — withholding on royalties
  ITA 2007 s.903: UK-source patent royalties bear income tax deducted at the basic rate (20%), whoever is paid; the
  "usual place of abode" test is s.906's, not s.903's. Paid abroad, only treaty relief (Chapter 8) reduces it.

  Background:
    Given the example deal "us_royalty_llc"
    And licensee "arbor" is tax resident in "GB"

  @GB-TAX-001
  Scenario: Royalties from a UK licensee to a US SPV without treaty relief
    When the deal is assessed
    Then rule "GB-TAX-001" finds "risk" about "lic-arbor"
    And the figure "withholding_rate" of rule "GB-TAX-001" about "lic-arbor" is about 0.20
    And the finding of rule "GB-TAX-001" about "lic-arbor" cites "UK-ITA-2007" article "903"

  @GB-TAX-001
  Scenario: The UK-US treaty removes it
    Given a treaty rate of 0 applies to royalties from "GB" to "US"
    When the deal is assessed
    Then rule "GB-TAX-001" finds "pass" about "lic-arbor"

  @GB-TAX-001
  Scenario: Royalties paid to a UK SPV are outside this rule (the UK-company exception is not assessed)
    Given the SPV is tax resident in "GB"
    When the deal is assessed
    Then rule "GB-TAX-001" makes no finding
