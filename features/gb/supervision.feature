Feature: United Kingdom — the securitisation regime
  From 2024-11-01 the Securitisation Regulations 2024 (SI 2024/102), with the FCA and PRA rules, replaced the
  onshored EU regulation; from then the duties, including investors' due diligence, sit in SECN and the PRA
  Securitisation Part (the SI only requires the regulators to make the due-diligence rules, reg 33). Before then the
  onshored regulation's retention, transparency and due-diligence articles applied. The retention and transparency
  duties bind an originator established in the UK; one established elsewhere is reached only through UK investors'
  due diligence, which bars them from the notes until retention and transparency are verifiably met.

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
  Scenario: A UK originator's 5% meets the UK retention rule
    Given party "helix" is established in "GB"
    When the deal is assessed
    Then rule "GB-SUP-002" finds "pass" about "deal"
    And the finding of rule "GB-SUP-002" about "deal" cites "UK-FCA-SECN"
    And the finding of rule "GB-SUP-002" about "deal" cites "UK-PRA-SECURITISATION" article "4.2"

  @GB-SUP-002
  Scenario: Two per cent is not enough for a UK originator
    Given party "helix" is established in "GB"
    And risk retention of 0.02 is held by "helix" as "vertical"
    When the deal is assessed
    Then rule "GB-SUP-002" finds "fail" about "deal"

  @GB-SUP-002 @GB-SUP-009
  Scenario: A US originator retaining too little is not failed under the UK retention rule; UK investors are barred
    Given risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-002" makes no finding
    And rule "GB-SUP-009" finds "info" about "deal"
    And rule "GB-SUP-004" finds "fail" about "retention"
    And the finding of rule "GB-SUP-004" about "retention" cites "UK-PRA-SECURITISATION" article "2.5"
    And the finding of rule "GB-SUP-004" about "retention" cites "UK-FCA-SECN"

  @GB-SUP-009
  Scenario: A US originator retaining 5% with a reporting entity can be verified by UK investors
    Given "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-009" finds "pass" about "deal"
    And rule "GB-SUP-004" makes no finding

  @GB-SUP-006
  Scenario Outline: Before 2024-11-01 the onshored regulation set the same 5% for a UK originator
    Given party "helix" is established in "GB"
    And risk retention of <share> is held by "helix" as "vertical"
    When the deal is assessed as of "2024-06-30"
    Then rule "GB-SUP-006" finds "<status>" about "deal"
    And rule "GB-SUP-002" makes no finding

    Examples:
      | share | status |
      | 0.05  | pass   |
      | 0.02  | fail   |

  @GB-SUP-006 @GB-SUP-010
  Scenario: Before 2024-11-01 a US originator retaining too little was reached through the onshored Art 5
    Given risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed as of "2024-10-31"
    Then rule "GB-SUP-006" makes no finding
    And rule "GB-SUP-010" finds "info" about "deal"
    And rule "GB-SUP-008" finds "fail" about "retention"
    And rule "GB-SUP-004" makes no finding

  @GB-SUP-010
  Scenario: Before 2024-11-01 UK investors could verify a US originator's 5% and reporting
    Given "helix" is the designated reporting entity
    When the deal is assessed as of "2023-06-30"
    Then rule "GB-SUP-010" finds "pass" about "deal"
    And rule "GB-SUP-009" makes no finding

  @GB-SUP-003
  Scenario: A UK originator's designated reporting entity meets the transparency rule
    Given party "helix" is established in "GB"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-003" finds "pass" about "deal"

  @GB-SUP-003
  Scenario: A UK originator with no reporting entity fails it
    Given party "helix" is established in "GB"
    When the deal is assessed
    Then rule "GB-SUP-003" finds "fail" about "deal"

  @GB-SUP-003 @GB-SUP-009
  Scenario: A US originator with no reporting entity is not failed under the UK transparency rule
    When the deal is assessed
    Then rule "GB-SUP-003" makes no finding
    And rule "GB-SUP-009" finds "info" about "deal"
    And rule "GB-SUP-004" finds "fail" about "transparency"

  @GB-SUP-004
  Scenario: UK investors cannot hold notes whose UK originator's retention is short
    Given party "helix" is established in "GB"
    And risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-004" finds "fail" about "retention"
    And the finding of rule "GB-SUP-004" about "retention" cites "UK-SECR-2024" article "33"

  @GB-SUP-004
  Scenario: With retention and a reporting entity UK investors may invest
    Given party "helix" is established in "GB"
    And "helix" is the designated reporting entity
    When the deal is assessed
    Then rule "GB-SUP-004" makes no finding

  @GB-SUP-007
  Scenario: Before 2024-11-01 a UK originator's designated reporting entity met the onshored Art 7
    Given party "helix" is established in "GB"
    And "helix" is the designated reporting entity
    When the deal is assessed as of "2023-06-30"
    Then rule "GB-SUP-007" finds "pass" about "deal"
    And rule "GB-SUP-003" makes no finding

  @GB-SUP-007
  Scenario: Before 2024-11-01 a UK originator with no reporting entity failed the onshored Art 7
    Given party "helix" is established in "GB"
    When the deal is assessed as of "2023-06-30"
    Then rule "GB-SUP-007" finds "fail" about "deal"
    And rule "GB-SUP-003" makes no finding

  @GB-SUP-008
  Scenario: Before 2024-11-01 the onshored Art 5 barred UK investors from notes without a reporting entity
    Given party "helix" is established in "GB"
    When the deal is assessed as of "2023-06-30"
    Then rule "GB-SUP-008" finds "fail" about "transparency"
    And the finding of rule "GB-SUP-008" about "transparency" cites "UK-SECR-ONSHORED" article "5"
    And rule "GB-SUP-004" makes no finding

  @GB-SUP-008
  Scenario: Before 2024-11-01 UK investors could hold notes with retention and a reporting entity
    Given party "helix" is established in "GB"
    And "helix" is the designated reporting entity
    When the deal is assessed as of "2023-06-30"
    Then rule "GB-SUP-008" makes no finding

  @GB-SUP-008 @GB-SUP-006
  Scenario: Before 2024-11-01 a UK originator's short retention barred UK investors under the onshored Art 5
    Given party "helix" is established in "GB"
    And risk retention of 0.02 is held by "helix" as "vertical"
    And "helix" is the designated reporting entity
    When the deal is assessed as of "2024-10-31"
    Then rule "GB-SUP-006" finds "fail" about "deal"
    And rule "GB-SUP-008" finds "fail" about "retention"
    And rule "GB-SUP-004" makes no finding
