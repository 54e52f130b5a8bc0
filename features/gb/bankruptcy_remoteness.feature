Feature: United Kingdom — priority of patent assignments
  An assignment of a GB patent must be in writing and signed (s.30(6)). Until it is registered at the UK IPO, a
  person acquiring under a later transaction without knowing of it prevails (s.33(1): no grace period, and the later
  acquirer need not register first); registration within six months only preserves costs (s.68).

  Background:
    Given the example deal "us_royalty_llc"
    And a granted "GB" patent "gb-001" owned by "helix" is added
    And transfer "t-gb" of patent "gb-001" from "helix" on "2026-09-15" is added

  @GB-BR-001
  Scenario: An unregistered assignment of a GB patent can be defeated by a later acquirer
    When the deal is assessed
    Then rule "GB-BR-001" finds "risk" about "gb-001"
    And the finding of rule "GB-BR-001" about "gb-001" cites "UK-PATENTS-ACT-1977" article "33"
    And the finding of rule "GB-BR-001" about "gb-001" cites "UK-PATENTS-ACT-1977" article "68"

  @GB-BR-001
  Scenario: Registration at the UK IPO protects it
    Given transfer "t-gb" is registered with the "GB" patent office on "2026-09-20"
    When the deal is assessed
    Then rule "GB-BR-001" makes no finding

  @GB-BR-002
  Scenario: A GB patent that outlasts the notes raises no term question
    When the deal is assessed
    Then rule "GB-BR-002" makes no finding

  @GB-BR-002
  Scenario: A GB patent expiring before the legal final
    Given patent "gb-001" expires on "2035-01-15"
    When the deal is assessed
    Then rule "GB-BR-002" finds "risk" about "gb-001"
