Feature: Japan — supervision
  A TMK notifies the Local Finance Bureau before starting business, with its asset liquidation plan, and entrusts
  its specified assets to a trust company or trust bank. Its bonds and equity, trust beneficial interests and the
  silent-partnership (TK) interests of a GK-TK are securities under the FIEA.

  Background:
    Given the example deal "jp_tmk_licence"

  @JP-SUP-001
  Scenario: The TMK notified with its asset liquidation plan
    When the deal is assessed
    Then rule "JP-SUP-001" finds "pass" about "deal"

  @JP-SUP-001
  Scenario: A TMK that never notified may not start business
    Given no notification was made to the Local Finance Bureau
    When the deal is assessed
    Then rule "JP-SUP-001" finds "fail" about "deal"

  @JP-SUP-001
  Scenario: A notification without the plan is incomplete
    Given the vehicle was notified to the Local Finance Bureau on "2026-06-12" without an asset liquidation plan
    When the deal is assessed
    Then rule "JP-SUP-001" finds "risk" about "deal"

  @JP-SUP-002
  Scenario: The TMK's securities fall under the FIEA
    When the deal is assessed
    Then rule "JP-SUP-002" finds "info" about "deal"

  @JP-SUP-002
  Scenario: A GK-TK issues no TMK securities
    Given the SPV form is "jp_gk_tk"
    When the deal is assessed
    Then rule "JP-SUP-002" makes no finding

  @JP-SUP-003
  Scenario: A TMK with no trust company or trust bank named for its specified assets
    Given the SPV names no manager or trustee
    When the deal is assessed
    Then rule "JP-SUP-003" finds "risk" about "tmk"
    And the finding of rule "JP-SUP-003" about "tmk" cites "JP-ASSET-SECURITIZATION-ACT" article "200"

  @JP-SUP-003
  Scenario: A trust bank holds the TMK's specified assets
    Given the SPV manager or trustee is "mizuho-trust"
    When the deal is assessed
    Then rule "JP-SUP-003" finds "pass" about "tmk"

  @JP-SUP-003
  Scenario: The entrustment duty is the TMK's, not a GK's
    Given the SPV form is "jp_gk_tk"
    When the deal is assessed
    Then rule "JP-SUP-003" makes no finding

  @JP-SUP-004
  Scenario: TK interests in a GK-TK are deemed securities and no FSA filing is recorded
    Given the SPV form is "jp_gk_tk"
    When the deal is assessed
    Then rule "JP-SUP-004" finds "risk" about "deal"
    And the finding of rule "JP-SUP-004" about "deal" cites "JP-COMMERCIAL-CODE" article "535"

  @JP-SUP-004
  Scenario: The offering of the TK interests is notified to the FSA
    Given the SPV form is "jp_gk_tk"
    And a filing "notification of specially permitted business for qualified institutional investors" was made with "JP_FSA" on "2026-06-20"
    When the deal is assessed
    Then rule "JP-SUP-004" finds "info" about "deal"

  @JP-SUP-004
  Scenario: A TMK issues no TK interests
    When the deal is assessed
    Then rule "JP-SUP-004" makes no finding
