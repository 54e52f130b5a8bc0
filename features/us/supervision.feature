Feature: United States — supervision
  Whether IP royalty notes fit Regulation AB's definition of an asset-backed security (a discrete pool of financial
  assets that convert into cash by their terms) is an analysis, so they are usually sold under Rule 144A; the issuer
  relies on §3(c)(7) or Rule 3a-7. Regulation RR turns on the broader Exchange Act §3(a)(79) definition (any
  self-liquidating financial asset, including a receivable), which reaches Rule 144A deals: the sponsor retains 5%.

  Background:
    Given the example deal "us_royalty_llc"

  @US-SUP-001
  Scenario: A Rule 144A placement with institutions is the usual route
    When the deal is assessed
    Then rule "US-SUP-001" finds "pass" about "deal"

  @US-SUP-001
  Scenario: A public offering needs an analysis of the pool under Regulation AB's definition
    Given the offering is "public"
    When the deal is assessed
    Then rule "US-SUP-001" finds "risk" about "deal"
    And the finding of rule "US-SUP-001" about "deal" mentions "is an analysis, not settled law"

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

  @US-SUP-004 @US-SUP-003
  Scenario: Licence receivables make the notes asset-backed securities for Regulation RR, even under Rule 144A
    When the deal is assessed
    Then rule "US-SUP-004" finds "info" about "deal"
    And a conclusion "securitisation_in_scope" is drawn about "deal"
    And rule "US-SUP-003" finds "pass" about "deal"
    And the finding of rule "US-SUP-004" about "deal" cites "US-EXCHANGE-ACT" article "3(a)(79)"

  @US-SUP-004 @US-SUP-003
  Scenario: Whether or not the pool fits Regulation AB, a public deal is within Regulation RR too
    Given the offering is "public"
    And no risk retention is held
    When the deal is assessed
    Then rule "US-SUP-001" finds "risk" about "deal"
    And rule "US-SUP-004" finds "info" about "deal"
    And rule "US-SUP-003" finds "fail" about "deal"

  @US-SUP-004 @US-SUP-003
  Scenario: Notes backed by no royalty receivables are not treated as asset-backed securities
    Given transfer "t-royalties" is removed
    When the deal is assessed
    Then rule "US-SUP-004" finds "info" about "deal"
    And no conclusion "securitisation_in_scope" is drawn about "deal"
    And rule "US-SUP-003" makes no finding

