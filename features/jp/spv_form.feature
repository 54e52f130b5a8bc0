Feature: Japan — the vehicle
  Japan offers the TMK and TMS under the Act on Securitization of Assets, the GK-TK structure and IP trusts run
  by licensed trust companies. A company vehicle must be independent of the originator.

  Background:
    Given the example deal "jp_tmk_licence"

  @JP-SPV-001
  Scenario: A TMK is a Japanese securitization vehicle
    When the deal is assessed
    Then rule "JP-SPV-001" finds "pass" about "tmk"

  @JP-SPV-001
  Scenario: A TMS needs a licensed trust company or trust bank as trustee
    Given the SPV names no manager or trustee
    And the SPV form is "jp_tms"
    When the deal is assessed
    Then rule "JP-SPV-001" finds "fail" about "tmk"

  @JP-SPV-001
  Scenario: An IP trust with a trust bank as trustee fits
    Given the SPV form is "jp_ip_trust"
    And the SPV manager or trustee is "mizuho-trust"
    When the deal is assessed
    Then rule "JP-SPV-001" finds "pass" about "tmk"

  @JP-SPV-002
  Scenario: A TMK held by an independent association with full covenants is separate
    When the deal is assessed
    Then rule "JP-SPV-002" finds "pass" about "tmk"

  @JP-SPV-002
  Scenario: A TMK owned by the originator without separateness covenants is not
    Given "sakura" owns 1 of the SPV
    And the SPV "separateness_covenants" is "no"
    When the deal is assessed
    Then rule "JP-SPV-002" finds "risk" about "tmk"

  @JP-SPV-002
  Scenario: A trust is separated by the Trust Act, not by company covenants
    Given the SPV form is "jp_ip_trust"
    And the SPV manager or trustee is "mizuho-trust"
    When the deal is assessed
    Then rule "JP-SPV-002" makes no finding
