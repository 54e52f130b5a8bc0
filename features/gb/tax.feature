Feature: United Kingdom — withholding on royalties
  UK-source patent royalties paid to a non-resident bear income tax deducted at the basic rate (20%) unless a
  treaty reduces it.

  Background:
    Given the example deal "us_royalty_llc"
    And licensee "arbor" is tax resident in "GB"

  @GB-TAX-001
  Scenario: Royalties from a UK licensee to a US SPV without treaty relief
    When the deal is assessed
    Then rule "GB-TAX-001" finds "risk" about "lic-arbor"
    And the figure "withholding_rate" of rule "GB-TAX-001" about "lic-arbor" is about 0.20

  @GB-TAX-001
  Scenario: The UK-US treaty removes it
    Given a treaty rate of 0 applies to royalties from "GB" to "US"
    When the deal is assessed
    Then rule "GB-TAX-001" finds "pass" about "lic-arbor"

  @GB-TAX-001
  Scenario: Royalties paid within the UK bear no such deduction
    Given the SPV is tax resident in "GB"
    When the deal is assessed
    Then rule "GB-TAX-001" makes no finding
