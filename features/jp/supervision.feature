Feature: Japan — supervision
  A TMK notifies the Local Finance Bureau before starting business, with its asset liquidation plan. Its bonds
  and equity, and trust beneficial interests, are securities under the FIEA.

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
