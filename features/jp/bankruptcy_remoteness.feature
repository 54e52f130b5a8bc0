Feature: Japan — bankruptcy remoteness
  A patent transfer has no effect until registered at the JPO. An assignment of royalties binds the licensee on
  notice and third parties only with a certified date or a registration. A non-exclusive licensee keeps its licence
  if the licensor fails (Patent Act Art 99 with Bankruptcy Act Art 56); an exclusive licence (senyo jisshiken) has no
  effect until registered (Art 98(1)(ii)). A Japanese seller's transfer closes on a true-sale opinion under Japanese
  law (market practice, not statute).

  Background:
    Given the example deal "jp_tmk_licence"

  @JP-BR-001 @JP-BR-002 @JP-BR-003
  Scenario: A transfer registered at the JPO passes title
    When the deal is assessed
    Then rule "JP-BR-003" makes no finding
    And no conclusion "transfer_not_effective" is drawn about "jp-align"

  @JP-BR-001 @JP-BR-002 @JP-BR-003
  Scenario: An unregistered transfer leaves the patent in the originator's estate
    Given transfer "t-align" is not registered with any patent office
    When the deal is assessed
    Then rule "JP-BR-003" finds "fail" about "jp-align"
    And the reasoning of rule "JP-BR-003" about "jp-align" runs through "JP-BR-001" then "JP-BR-002"
    And the finding of rule "JP-BR-003" about "jp-align" cites "JP-PATENT-ACT"
    And the finding of rule "JP-BR-003" about "jp-align" cites "JP-BANKRUPTCY-ACT" article "34"

  @JP-BR-005 @JP-BR-006
  Scenario: Notified licensees must pay the TMK
    When the deal is assessed
    Then rule "JP-BR-006" makes no finding

  @JP-BR-005 @JP-BR-006
  Scenario: A licensee not notified may still pay the originator
    Given licensee "kansai-fab" was not notified of transfer "t-receivables"
    When the deal is assessed
    Then rule "JP-BR-006" finds "risk" about "lic-kansai"
    And a conclusion "assignment_not_binding_on_licensee" is drawn about "lic-kansai"

  @JP-BR-007
  Scenario: Registration under the 1998 Act perfects the assignment against third parties
    When the deal is assessed
    Then rule "JP-BR-007" finds "pass" about "lic-kansai"

  @JP-BR-007
  Scenario: A notice with a certified date also perfects it
    Given transfer "t-receivables" has no perfection filings
    When the deal is assessed
    Then rule "JP-BR-007" finds "pass" about "lic-kansai"

  @JP-BR-007
  Scenario: A plain notice binds the licensee but not third parties
    Given transfer "t-receivables" has no perfection filings
    And the notice to "kansai-fab" of transfer "t-receivables" bears no certified date
    When the deal is assessed
    Then rule "JP-BR-007" finds "risk" about "lic-kansai"

  @JP-BR-008
  Scenario: A non-exclusive licensee of JP patents keeps its licence in the licensor's bankruptcy
    Given licence "lic-kansai" grants the right "non_exclusive_right"
    When the deal is assessed
    Then rule "JP-BR-008" finds "pass" about "lic-kansai"
    And the finding of rule "JP-BR-008" about "lic-kansai" cites "JP-BANKRUPTCY-ACT"

  @JP-BR-008
  Scenario: A registered exclusive licence has taken effect and survives the licensor's bankruptcy
    Given licence "lic-kansai" grants the right "exclusive_right"
    And licence "lic-kansai" is recorded with the "JP" patent office
    When the deal is assessed
    Then rule "JP-BR-008" finds "pass" about "lic-kansai"

  @JP-BR-008
  Scenario: An exclusive licence not registered with the JPO has no effect
    Given licence "lic-kansai" grants the right "exclusive_right"
    And licence "lic-kansai" is recorded with no patent office
    When the deal is assessed
    Then rule "JP-BR-008" finds "fail" about "lic-kansai"
    And the finding of rule "JP-BR-008" about "lic-kansai" cites "JP-PATENT-ACT"

  @JP-BR-008
  Scenario: A licence whose kind is not stated must be stated
    Given licence "lic-kansai" does not state its right
    When the deal is assessed
    Then rule "JP-BR-008" finds "risk" about "lic-kansai"

  @JP-BR-008
  Scenario: A licence the TMK grants is not the originator's
    Given licence "lic-kansai" is granted by "tmk"
    When the deal is assessed
    Then rule "JP-BR-008" makes no finding about "lic-kansai"

  @JP-BR-009 @JP-BR-010
  Scenario: A sale without recourse at value reads as a sale
    When the deal is assessed
    Then rule "JP-BR-009" finds "pass" about "t-receivables"
    And rule "JP-BR-010" makes no finding

  @JP-BR-009 @JP-BR-010
  Scenario: A repurchase obligation points to a financing
    Given transfer "t-receivables" obliges the seller to repurchase
    When the deal is assessed
    Then rule "JP-BR-010" finds "risk" about "t-receivables"

  @JP-BR-011
  Scenario: A transfer far below value can be avoided
    Given transfer "t-align" is made for 500000000 against an appraised value of 2200000000
    When the deal is assessed
    Then rule "JP-BR-011" finds "risk" about "t-align"

  @JP-BR-011
  Scenario: Transfers near value raise no avoidance question
    When the deal is assessed
    Then rule "JP-BR-011" makes no finding

  @JP-BR-012
  Scenario: Royalties paid to the originator's own account are commingled
    Given licence "lic-kansai" pays into an account held by "sakura"
    When the deal is assessed
    Then rule "JP-BR-012" finds "risk" about "lic-kansai"

  @JP-BR-012
  Scenario: Royalties paid to the TMK's account are not
    When the deal is assessed
    Then rule "JP-BR-012" makes no finding

  @JP-BR-013
  Scenario: A backup servicer is named
    When the deal is assessed
    Then rule "JP-BR-013" finds "pass" about "sakura"

  @JP-BR-013
  Scenario: The originator services alone
    Given no backup servicer is named
    When the deal is assessed
    Then rule "JP-BR-013" finds "risk" about "sakura"

  @JP-BR-014
  Scenario: Patents that outlast the notes raise no term question
    When the deal is assessed
    Then rule "JP-BR-014" makes no finding

  @JP-BR-014
  Scenario: A patent expiring before the legal final leaves the tail without its royalties
    Given patent "jp-inspect" expires on "2033-05-14"
    When the deal is assessed
    Then rule "JP-BR-014" finds "risk" about "jp-inspect"

  @JP-BR-015
  Scenario: A Japanese seller's transfers without a true-sale opinion
    Given no legal opinion is recorded
    When the deal is assessed
    Then rule "JP-BR-015" finds "risk" about "t-receivables"
    And rule "JP-BR-015" finds "risk" about "t-align"
    And the finding of rule "JP-BR-015" about "t-receivables" cites "JP-PRACTICE-TRUE-SALE-OPINION"

  @JP-BR-015
  Scenario: A true-sale opinion under Japanese law covers the sale of the royalties
    Given no legal opinion is recorded
    And a true-sale opinion under "JP" law by "Tokyo Partners LPC" dated "2026-07-01" covers transfer "t-receivables"
    When the deal is assessed
    Then rule "JP-BR-015" finds "pass" about "t-receivables"
    And rule "JP-BR-015" finds "risk" about "t-align"

  @JP-BR-015
  Scenario: An opinion under another country's law does not answer for a Japanese seller
    Given no legal opinion is recorded
    And a true-sale opinion under "US" law by "New York Counsel LLP" dated "2026-07-01" covers transfer "t-receivables"
    When the deal is assessed
    Then rule "JP-BR-015" finds "risk" about "t-receivables"
