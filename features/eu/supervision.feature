Feature: European Union — the Securitisation Regulation
  A tranched deal that reaches the Union through its investors or its originator is a securitisation under
  Regulation (EU) 2017/2402. Arts 6 (retention) and 7 (transparency) bind an originator, sponsor or original lender
  established in the Union. A third-country originator is not bound by them: EU institutional investors must verify
  under Art 5(1)(d) and (e) that it retains at least 5% and makes the Art 7 information available, and may hold the
  notes only if both are verifiably met.

  Background:
    Given the example deal "us_royalty_llc"

  @EU-SUP-001
  Scenario: Tranched notes sold to EU investors are a securitisation
    Given the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-001" finds "info" about "deal"
    And the finding of rule "EU-SUP-001" about "deal" cites "EU-SECR" article "2"

  @EU-SUP-001
  Scenario: A single class of notes does not tranche credit risk
    Given the notes are also sold to investors in "DE"
    And the notes are a single class
    When the deal is assessed
    Then rule "EU-SUP-001" finds "pass" about "deal"
    And rule "EU-SUP-002" makes no finding
    And rule "EU-SUP-005" makes no finding

  @EU-SUP-001
  Scenario: A deal with no EU investors and no EU originator is outside the Regulation
    When the deal is assessed
    Then rule "EU-SUP-001" makes no finding

  @EU-SUP-002
  Scenario: An EU originator's 5% vertical interest meets Art 6
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "FR"
    When the deal is assessed
    Then rule "EU-SUP-002" finds "pass" about "deal"

  @EU-SUP-002
  Scenario: An EU originator retaining too little fails Art 6
    Given party "helix" is established in "NL"
    And risk retention of 0.02 is held by "helix" as "vertical"
    When the deal is assessed
    Then rule "EU-SUP-002" finds "fail" about "deal"

  @EU-SUP-002 @EU-SUP-005
  Scenario: A US originator retaining too little is not failed under Art 6; EU investors are barred through Art 5
    Given the notes are also sold to investors in "DE"
    And risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-002" makes no finding
    And rule "EU-SUP-005" finds "info" about "deal"
    And rule "EU-SUP-004" finds "fail" about "retention"
    And the finding of rule "EU-SUP-004" about "retention" cites "EU-SECR" article "5"

  @EU-SUP-003
  Scenario: An EU originator with a designated reporting entity meets Art 7
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "DE"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-003" finds "pass" about "deal"

  @EU-SUP-003
  Scenario: An EU originator with no reporting entity fails Art 7
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-003" finds "fail" about "deal"

  @EU-SUP-003 @EU-SUP-005
  Scenario: A US originator with no reporting entity is not failed under Art 7; EU investors are barred through Art 5
    Given the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-003" makes no finding
    And rule "EU-SUP-005" finds "info" about "deal"
    And rule "EU-SUP-004" finds "fail" about "transparency"
    And rule "EU-SUP-004" makes no finding about "retention"

  @EU-SUP-005
  Scenario: A US originator retaining 5% with a reporting entity can be verified by EU investors
    Given the notes are also sold to investors in "DE"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-005" finds "pass" about "deal"
    And rule "EU-SUP-004" makes no finding

  @EU-SUP-005
  Scenario: An EU originator is bound directly, not through Art 5(1)(d)
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-005" makes no finding

  @EU-SUP-004
  Scenario: EU investors cannot hold notes whose EU originator's transparency duty is unmet
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-004" finds "fail" about "transparency"
    And rule "EU-SUP-004" makes no finding about "retention"

  @EU-SUP-004
  Scenario: With retention and a reporting entity EU investors may invest
    Given party "helix" is established in "NL"
    And the notes are also sold to investors in "DE"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-004" makes no finding

  @EU-SUP-004
  Scenario: Without EU investors the due-diligence bar has no one to bind
    Given party "helix" is established in "NL"
    When the deal is assessed
    Then rule "EU-SUP-003" finds "fail" about "deal"
    And rule "EU-SUP-004" makes no finding
