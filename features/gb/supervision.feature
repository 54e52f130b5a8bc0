Feature: United Kingdom — the securitisation regime
  From 2024-11-01 the Securitisation Regulations 2024 (SI 2024/102), with the FCA and PRA rules, replaced the
  onshored EU regulation. A tranched deal reaching the UK retains 5%, designates a reporting entity, and UK
  institutional investors may hold it only if both are met.

  Background:
    Given the example deal "us_royalty_llc"
    And the notes are also sold to investors in "GB"

  @GB-SUP-001 @GB-SUP-005
  Scenario Outline: The regime in force on the date decides which rules apply
    When the deal is assessed as of "<date>"
    Then rule "<current>" finds "info" about "deal"
    And rule "<other>" makes no finding

    Examples:
      | date       | current    | other      |
      | 2021-01-01 | GB-SUP-005 | GB-SUP-001 |
      | 2024-10-31 | GB-SUP-005 | GB-SUP-001 |
      | 2024-11-01 | GB-SUP-001 | GB-SUP-005 |
      | 2026-09-30 | GB-SUP-001 | GB-SUP-005 |

  @GB-SUP-001 @GB-SUP-005
  Scenario Outline: A single class of notes is not a securitisation under either regime
    Given the notes are a single class
    When the deal is assessed as of "<date>"
    Then rule "<rule>" finds "pass" about "deal"

    Examples:
      | date       | rule       |
      | 2023-06-30 | GB-SUP-005 |
      | 2026-09-30 | GB-SUP-001 |

  @GB-SUP-002
  Scenario: The originator's 5% meets the UK retention rule
    When the deal is assessed
    Then rule "GB-SUP-002" finds "pass" about "deal"
    And the finding of rule "GB-SUP-002" about "deal" cites "UK-FCA-SECN"

  @GB-SUP-002
  Scenario: Two per cent is not enough
    Given risk retention of 0.02 is held by "helix" as "vertical"
    When the deal is assessed
    Then rule "GB-SUP-002" finds "fail" about "deal"

  @GB-SUP-006
  Scenario Outline: Before 2024-11-01 the onshored regulation set the same 5%
    Given risk retention of <share> is held by "helix" as "vertical"
    When the deal is assessed as of "2024-06-30"
    Then rule "GB-SUP-006" finds "<status>" about "deal"
    And rule "GB-SUP-002" makes no finding

    Examples:
      | share | status |
      | 0.05  | pass   |
      | 0.02  | fail   |

  @GB-SUP-003
  Scenario: A designated reporting entity meets the transparency rule
    Given "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-003" finds "pass" about "deal"

  @GB-SUP-003
  Scenario: No reporting entity fails it
    When the deal is assessed
    Then rule "GB-SUP-003" finds "fail" about "deal"

  @GB-SUP-004
  Scenario: UK investors cannot hold notes whose retention is short
    Given risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-004" finds "fail" about "retention"

  @GB-SUP-004
  Scenario: With retention and a reporting entity UK investors may invest
    Given "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-004" makes no finding
