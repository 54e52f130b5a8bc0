Feature: European Union — where the SSPE may be established
  An SSPE of a securitisation reaching the Union may not be established in a country on the EU list of
  non-cooperative jurisdictions for tax purposes or on the EU high-risk money-laundering list.

  Background:
    Given the example deal "us_royalty_llc"
    And the notes are also sold to investors in "IE"

  @EU-SPV-001
  Scenario: A Delaware SSPE is not on the lists
    When the deal is assessed
    Then rule "EU-SPV-001" finds "pass" about "deal"

  @EU-SPV-001
  Scenario: An SSPE established in a listed country fails
    Given the SPV is established in "PA"
    When the deal is assessed
    Then rule "EU-SPV-001" finds "fail" about "deal"
    And the finding of rule "EU-SPV-001" about "deal" cites "EU-SECR" article "4"
