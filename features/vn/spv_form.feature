Feature: Vietnam — the vehicle
  Vietnam has no trust law and no securitization statute. A trust-form SPV is not available; a company can act as
  the SPV, but nothing in statute makes it bankruptcy-remote, so its separateness is all it has.

  Background:
    Given the example deal "vn_company_spv"

  @VN-SPV-001
  Scenario: A company under the Law on Enterprises is available
    When the deal is assessed
    Then rule "VN-SPV-001" finds "pass" about "spvco"

  @VN-SPV-001
  Scenario: A trust is not available in Vietnam
    Given the SPV form is "vn_trust"
    When the deal is assessed
    Then rule "VN-SPV-001" finds "fail" about "spvco"

  @VN-SPV-001
  Scenario: A foreign vehicle form is not available to a Vietnamese SPV
    Given the SPV form is "jp_tmk"
    When the deal is assessed
    Then rule "VN-SPV-001" finds "fail" about "spvco"

  @VN-SPV-002
  Scenario: A company SPV carries the risk that no statute isolates it
    When the deal is assessed
    Then rule "VN-SPV-002" finds "risk" about "spvco"

  @VN-SPV-002
  Scenario: A fund is not judged as a company
    Given the SPV form is "vn_securities_investment_fund"
    When the deal is assessed
    Then rule "VN-SPV-002" makes no finding

  @VN-SPV-003
  Scenario: A company owned and run by the originator without covenants fails
    When the deal is assessed
    Then rule "VN-SPV-003" finds "fail" about "spvco"

  @VN-SPV-003
  Scenario: An independent company with full covenants is as separate as Vietnamese law allows
    Given "vbank" owns 1 of the SPV
    And the SPV's only director is independent
    And the SPV "separateness_covenants" is "yes"
    And the SPV "non_petition" is "yes"
    And the SPV "activities_limited" is "yes"
    When the deal is assessed
    Then rule "VN-SPV-003" finds "pass" about "spvco"

  @VN-SPV-002 @VN-SPV-004
  Scenario Outline: The company-SPV rule hands over from the 2014 Law to the 2025 Law on 2026-03-01
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier    | earlier outcome             | later      | later outcome               |
      | 2026-02-28 | VN-SPV-004 | finds "risk" about "spvco"  | VN-SPV-002 | makes no finding            |
      | 2026-03-01 | VN-SPV-004 | makes no finding            | VN-SPV-002 | finds "risk" about "spvco"  |

  @VN-SPV-004
  Scenario: Under the 2014 Law a fund is not judged as a company either
    Given the SPV form is "vn_securities_investment_fund"
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-SPV-004" makes no finding

  @VN-SPV-003 @VN-SPV-005
  Scenario Outline: The separateness rule hands over on 2026-03-01
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier    | earlier outcome             | later      | later outcome               |
      | 2026-02-28 | VN-SPV-005 | finds "fail" about "spvco"  | VN-SPV-003 | makes no finding            |
      | 2026-03-01 | VN-SPV-005 | makes no finding            | VN-SPV-003 | finds "fail" about "spvco"  |

  @VN-SPV-005
  Scenario: Under the 2014 Law an independent company with full covenants is as separate as the law allows
    Given "vbank" owns 1 of the SPV
    And the SPV's only director is independent
    And the SPV "separateness_covenants" is "yes"
    And the SPV "non_petition" is "yes"
    And the SPV "activities_limited" is "yes"
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-SPV-005" finds "pass" about "spvco"
