Feature: China — supervision
  A special plan is filed with AMAC after establishment (within five working days, a period ipsa has not
  verified), rests on assets with
  predictable cash flow (not on AMAC's negative list), and is sold to at most 200 qualified investors.
  The 2025 Private Sector Promotion Law is policy context for private originators.

  Background:
    Given the example deal "cn_licence_special_plan"

  @CN-SUP-001
  Scenario: The plan was filed with AMAC in time
    When the deal is assessed
    Then rule "CN-SUP-001" finds "pass" about "deal"

  @CN-SUP-001
  Scenario: A late AMAC filing
    Given the plan was filed with AMAC on "2026-03-30"
    When the deal is assessed
    Then rule "CN-SUP-001" finds "risk" about "deal"

  @CN-SUP-001
  Scenario: No AMAC filing after the deadline
    Given no filing was made with AMAC
    When the deal is assessed
    Then rule "CN-SUP-001" finds "fail" about "deal"

  @CN-SUP-002
  Scenario: Contracted licence royalties are eligible underlying assets
    When the deal is assessed
    Then rule "CN-SUP-002" finds "pass" about "deal"

  @CN-SUP-002
  Scenario: A bare patent without licence cash is on the negative list
    Given transfer "t-receivables" is removed
    When the deal is assessed
    Then rule "CN-SUP-002" finds "fail" about "deal"

  @CN-SUP-003
  Scenario: Fourteen qualified investors
    When the deal is assessed
    Then rule "CN-SUP-003" finds "pass" about "deal"

  @CN-SUP-003
  Scenario Outline: Retail investors or more than 200 holders are not allowed
    Given <change>
    When the deal is assessed
    Then rule "CN-SUP-003" finds "fail" about "deal"

    Examples:
      | change                                            |
      | note class "subordinated" is sold to "retail" investors |
      | the plan has 250 investors                        |

  @CN-POL-001
  Scenario Outline: The Private Sector Promotion Law is context only from 2025-05-20
    When the deal is assessed as of "<date>"
    Then rule "CN-POL-001" <outcome>

    Examples:
      | date       | outcome                      |
      | 2025-05-19 | makes no finding             |
      | 2025-05-20 | finds "info" about "lingxi"  |

  @CN-POL-001
  Scenario: A state-owned originator is outside the private-sector policy
    Given the originator "lingxi" is a "government_entity"
    When the deal is assessed
    Then rule "CN-POL-001" makes no finding

  @CN-SUP-004
  Scenario: The originator of a credit-asset securitization keeps its 5%
    Given the SPV form is "cn_special_purpose_trust"
    When the deal is assessed
    Then rule "CN-SUP-004" finds "pass" about "deal"

  @CN-SUP-004
  Scenario: No retention by the originator of a credit-asset securitization fails
    Given the SPV form is "cn_special_purpose_trust"
    And no risk retention is held
    When the deal is assessed
    Then rule "CN-SUP-004" finds "fail" about "deal"

  @CN-SUP-004
  Scenario: A special plan is not a credit-asset securitization
    When the deal is assessed
    Then rule "CN-SUP-004" makes no finding

  @CN-SUP-004
  Scenario: Retention by a party other than the originator does not count
    Given the SPV form is "cn_special_purpose_trust"
    And risk retention of 0.1 is held by "huaxin" as "vertical"
    When the deal is assessed
    Then rule "CN-SUP-004" finds "fail" about "deal"

  @CN-SUP-005
  Scenario: The exchange's no-objection letter is on file
    When the deal is assessed
    Then rule "CN-SUP-005" finds "pass" about "deal"

  @CN-SUP-005
  Scenario: Establishing a listed plan without the exchange's confirmation
    Given no filing was made with "SSE"
    When the deal is assessed
    Then rule "CN-SUP-005" finds "risk" about "deal"

  @CN-SUP-006
  Scenario: The simulated royalties do not yet serve an AAA senior class with margin
    When the deal is assessed with the risk model
    Then rule "CN-SUP-006" finds "risk" about "deal"

  @CN-SUP-006
  Scenario: Against a BBB target the same royalties are predictable enough
    Given note class "senior" is rated "BBB"
    When the deal is assessed with the risk model
    Then rule "CN-SUP-006" finds "pass" about "deal"

  @CN-SUP-006
  Scenario: Without the risk model there is nothing to judge
    When the deal is assessed
    Then rule "CN-SUP-006" makes no finding
