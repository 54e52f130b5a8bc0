Feature: United States — supervision
  IP royalty notes fall outside Regulation AB and are sold under Rule 144A; the issuer relies on §3(c)(7) or
  Rule 3a-7; the sponsor retains 5% of the credit risk under Regulation RR.

  Background:
    Given the example deal "us_royalty_llc"

  @US-SUP-001
  Scenario: A Rule 144A placement with institutions is the usual route
    When the deal is assessed
    Then rule "US-SUP-001" finds "pass" about "deal"

  @US-SUP-001
  Scenario: A public offering does not fit Regulation AB
    Given the offering is "public"
    When the deal is assessed
    Then rule "US-SUP-001" finds "risk" about "deal"

  @US-SUP-001
  Scenario: Retail buyers cannot take unregistered notes
    Given note class "B" is sold to "retail" investors
    When the deal is assessed
    Then rule "US-SUP-001" finds "fail" about "deal"

  @US-SUP-002
  Scenario: A private offering can rely on §3(c)(7)
    When the deal is assessed
    Then rule "US-SUP-002" finds "pass" about "deal"

  @US-SUP-002
  Scenario: A public offering loses §3(c)(7)
    Given the offering is "public"
    When the deal is assessed
    Then rule "US-SUP-002" finds "risk" about "deal"

  @US-SUP-003
  Scenario: A 5% vertical interest held by the sponsor meets Regulation RR
    When the deal is assessed
    Then rule "US-SUP-003" finds "pass" about "deal"

  @US-SUP-003
  Scenario Outline: Too little, or nothing, retained fails
    Given <retention>
    When the deal is assessed
    Then rule "US-SUP-003" finds "fail" about "deal"

    Examples:
      | retention                                                      |
      | risk retention of 0.03 is held by "helix" as "vertical"        |
      | no risk retention is held                                      |
      | risk retention of 0.05 is held by "wrapco" as "horizontal"     |

  @US-SUP-003
  Scenario: Before Regulation RR applied to these deals there was no retention rule
    When the deal is assessed as of "2016-06-30"
    Then rule "US-SUP-003" makes no finding
