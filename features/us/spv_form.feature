Feature: United States — the vehicle
  A US IP securitization issues through a Delaware LLC or a Delaware statutory trust (which needs a Delaware
  trustee). Rating criteria and the case law on substantive consolidation ask that an SPV owned by the
  originator have an independent director, separateness covenants and non-petition terms.

  Background:
    Given the example deal "us_royalty_llc"

  @US-SPV-001
  Scenario: A Delaware LLC is a US vehicle
    When the deal is assessed
    Then rule "US-SPV-001" finds "pass" about "funding"

  @US-SPV-001
  Scenario: A statutory trust with a bank as Delaware trustee fits
    Given the SPV form is "us_delaware_statutory_trust"
    And the SPV manager or trustee is "trustee"
    When the deal is assessed
    Then rule "US-SPV-001" finds "pass" about "funding"

  @US-SPV-001
  Scenario: A statutory trust without a trustee does not
    Given the SPV form is "us_delaware_statutory_trust"
    When the deal is assessed
    Then rule "US-SPV-001" finds "fail" about "funding"

  @US-SPV-001
  Scenario: A Japanese vehicle form is not available to a Delaware SPV
    Given the SPV form is "jp_tmk"
    When the deal is assessed
    Then rule "US-SPV-001" finds "fail" about "funding"

  @US-SPV-002
  Scenario: An LLC wholly owned by the originator with no independent director risks consolidation
    When the deal is assessed
    Then rule "US-SPV-002" finds "risk" about "funding"

  @US-SPV-002
  Scenario: Without separateness covenants as well, the SPV fails
    Given the SPV "separateness_covenants" is "no"
    When the deal is assessed
    Then rule "US-SPV-002" finds "fail" about "funding"
    And the finding of rule "US-SPV-002" about "funding" cites "US-CASE-AUGIE-RESTIVO"

  @US-SPV-002
  Scenario: An orphan SPV with an independent director and full covenants is separate
    Given "trustee" owns 1 of the SPV
    And the SPV's only director is independent
    When the deal is assessed
    Then rule "US-SPV-002" finds "pass" about "funding"
