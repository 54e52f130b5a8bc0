Feature: United States — the vehicle
  A US IP securitization issues through a Delaware LLC or a Delaware statutory trust (which needs a Delaware
  trustee). Rating criteria and the case law on substantive consolidation ask that an SPV owned by the
  originator have an independent director, separateness covenants and non-petition terms, and a rated deal by a US
  originator closes on a reasoned non-consolidation opinion (market practice, not statute).

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

  @US-SPV-003
  Scenario: No non-consolidation opinion is recorded for a US originator's SPV
    When the deal is assessed
    Then rule "US-SPV-003" finds "risk" about "funding"
    And the finding of rule "US-SPV-003" about "funding" cites "US-MARKET-PRACTICE-LEGAL-OPINIONS"

  @US-SPV-003
  Scenario: US counsel's non-consolidation opinion is given at closing
    Given a "non_consolidation" opinion under "US" law by "Example & Partners LLP" is dated "2026-09-15"
    When the deal is assessed
    Then rule "US-SPV-003" finds "pass" about "funding"

  @US-SPV-003
  Scenario: With the originator's case open, consolidation is a live question
    Given "helix" entered "reorganisation" proceedings in "US-DE" on "2026-09-20"
    When the deal is assessed
    Then rule "US-SPV-003" finds "risk" about "funding"
    And the finding of rule "US-SPV-003" about "funding" mentions "opened on 2026-09-20"

  @US-SPV-003
  Scenario: A Japanese originator's SPV needs no US non-consolidation opinion
    Given the example deal "jp_tmk_licence"
    When the deal is assessed
    Then rule "US-SPV-003" makes no finding

