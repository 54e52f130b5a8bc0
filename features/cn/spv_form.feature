Feature: China — the vehicle
  A Chinese patent securitization uses an asset-backed special plan (managed by a securities company or a
  fund-management subsidiary) or a special-purpose trust (with a trust company as trustee). A trust over the
  patents themselves needs a registration route that is not in use.

  Background:
    Given the example deal "cn_licence_special_plan"

  @CN-SPV-001
  Scenario: A securities company manages the special plan
    When the deal is assessed
    Then rule "CN-SPV-001" finds "pass" about "plan"

  @CN-SPV-001
  Scenario: An ordinary company cannot manage a special plan
    Given the manager of the SPV is a "company"
    When the deal is assessed
    Then rule "CN-SPV-001" finds "fail" about "plan"

  @CN-SPV-002
  Scenario: A trust company is trustee of a special-purpose trust
    Given the SPV form is "cn_special_purpose_trust"
    And the manager of the SPV is a "trust_company"
    When the deal is assessed
    Then rule "CN-SPV-002" finds "pass" about "plan"
    And rule "CN-SPV-001" makes no finding

  @CN-SPV-002
  Scenario: A securities company cannot be trustee of a special-purpose trust
    Given the SPV form is "cn_special_purpose_trust"
    When the deal is assessed
    Then rule "CN-SPV-002" finds "fail" about "plan"

  @CN-SPV-003
  Scenario: Settling a Chinese patent into trust meets the registration gap
    Given transfer "t-optics" is made by "trust_settlement"
    When the deal is assessed
    Then rule "CN-SPV-003" finds "risk" about "p-optics"

  @CN-SPV-003
  Scenario: An outright assignment raises no trust-registration question
    When the deal is assessed
    Then rule "CN-SPV-003" makes no finding

  @CN-SPV-004
  Scenario: A special plan is isolated by the CSRC rules, not by company covenants
    When the deal is assessed
    Then rule "CN-SPV-004" makes no finding

  @CN-SPV-004
  Scenario: A company SPV owned by the originator without covenants fails
    Given the SPV form is "cn_company"
    And "lingxi" owns 1 of the SPV
    When the deal is assessed
    Then rule "CN-SPV-004" finds "fail" about "plan"

  @CN-SPV-004
  Scenario: An independent company SPV with full covenants is separate
    Given the SPV form is "cn_company"
    And "huaxin" owns 1 of the SPV
    And the SPV's only director is independent
    And the SPV "separateness_covenants" is "yes"
    And the SPV "non_petition" is "yes"
    When the deal is assessed
    Then rule "CN-SPV-004" finds "pass" about "plan"

  @CN-SPV-005
  Scenario: A special plan is a Chinese vehicle
    When the deal is assessed
    Then rule "CN-SPV-005" finds "pass" about "plan"

  @CN-SPV-005
  Scenario: A Delaware LLC is not a form Chinese law offers
    Given the SPV form is "us_delaware_llc"
    When the deal is assessed
    Then rule "CN-SPV-005" finds "fail" about "plan"

  @CN-SPV-006
  Scenario: A bank may originate through a special-purpose trust
    Given the SPV form is "cn_special_purpose_trust"
    And the originator "lingxi" is a "bank"
    When the deal is assessed
    Then rule "CN-SPV-006" finds "pass" about "plan"

  @CN-SPV-006
  Scenario: A technology company cannot use the credit-asset trust for its licence royalties
    Given the SPV form is "cn_special_purpose_trust"
    When the deal is assessed
    Then rule "CN-SPV-006" finds "fail" about "plan"
