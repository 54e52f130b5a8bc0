Feature: European Union — the Securitisation Regulation
  A tranched deal that reaches the Union through its investors or its originator is a securitisation under
  Regulation (EU) 2017/2402. The originator side retains 5%; one party is designated to make the transparency
  disclosures; EU institutional investors may hold the notes only if both are verifiably met.

  Background:
    Given the example deal "us_royalty_llc"

  @EU-SUP-001
  Scenario: Tranched notes sold to EU investors are a securitisation
    Given the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-001" finds "info" about "deal"

  @EU-SUP-001
  Scenario: A single class of notes does not tranche credit risk
    Given the notes are also sold to investors in "DE"
    And the notes are a single class
    When the deal is assessed
    Then rule "EU-SUP-001" finds "pass" about "deal"
    And rule "EU-SUP-002" makes no finding

  @EU-SUP-001
  Scenario: A deal with no EU investors and no EU originator is outside the Regulation
    When the deal is assessed
    Then rule "EU-SUP-001" makes no finding

  @EU-SUP-002
  Scenario: The originator's 5% vertical interest meets Art 6
    Given the notes are also sold to investors in "FR"
    When the deal is assessed
    Then rule "EU-SUP-002" finds "pass" about "deal"

  @EU-SUP-002
  Scenario: An EU originator retaining too little fails Art 6
    Given party "helix" is established in "NL"
    And risk retention of 0.02 is held by "helix" as "vertical"
    When the deal is assessed
    Then rule "EU-SUP-002" finds "fail" about "deal"

  @EU-SUP-003
  Scenario: A designated reporting entity meets Art 7
    Given the notes are also sold to investors in "DE"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-003" finds "pass" about "deal"

  @EU-SUP-003
  Scenario: No reporting entity fails Art 7
    Given the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-003" finds "fail" about "deal"

  @EU-SUP-004
  Scenario: EU investors cannot hold notes whose transparency duty is unmet
    Given the notes are also sold to investors in "DE"
    When the deal is assessed
    Then rule "EU-SUP-004" finds "fail" about "transparency"
    And rule "EU-SUP-004" makes no finding about "retention"

  @EU-SUP-004
  Scenario: With retention and a reporting entity EU investors may invest
    Given the notes are also sold to investors in "DE"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "EU-SUP-004" makes no finding

  @EU-SUP-004
  Scenario: Without EU investors the due-diligence bar has no one to bind
    Given party "helix" is established in "NL"
    When the deal is assessed
    Then rule "EU-SUP-003" finds "fail" about "deal"
    And rule "EU-SUP-004" makes no finding
