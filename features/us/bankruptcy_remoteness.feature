Feature: United States — bankruptcy remoteness
  Recording a US patent assignment decides priority against later purchasers; it is not a condition of effect.
  A sale of licence royalties (accounts) must be perfected by a UCC filing or the seller's trustee avoids it.
  Licensees of US patents keep their licences under §365(n); foreign patents are not covered.
  A transfer for less than reasonably equivalent value can be avoided under §548 (two years before the petition in
  cases commenced after 2006-04-20, one year before) and, through §544(b), under state fraudulent-transfer law (four
  years in Delaware). Where the seller's case is actually open the windows run back from its real petition date.
  Rated deals close on a reasoned true-sale opinion (market practice, not statute).

  Background:
    Given the example deal "us_royalty_llc"

  @US-BR-001
  Scenario: An unrecorded assignment still within three months: record it
    Given transfer "t-us003" of patent "us-003" from "helix" on "2026-09-15" is added
    When the deal is assessed
    Then rule "US-BR-001" finds "info" about "us-003"
    And the figure "days_left" of rule "US-BR-001" about "us-003" is about 76

  @US-BR-001
  Scenario: An assignment unrecorded after three months is void against a later purchaser
    Given transfer "t-us003" of patent "us-003" from "helix" on "2026-09-15" is added
    When the deal is assessed as of "2027-01-31"
    Then rule "US-BR-001" finds "risk" about "us-003"
    And the finding of rule "US-BR-001" about "us-003" cites "US-PATENT-ACT" article "261"

  @US-BR-001
  Scenario: A recorded assignment needs nothing more
    Given transfer "t-us003" of patent "us-003" from "helix" on "2026-09-15" is added
    And transfer "t-us003" is registered with the "US" patent office on "2026-09-20"
    When the deal is assessed
    Then rule "US-BR-001" makes no finding

  @US-BR-002 @US-BR-003
  Scenario: A UCC filing perfects the sale of royalties
    When the deal is assessed
    Then rule "US-BR-002" finds "pass" about "lic-arbor"
    And rule "US-BR-003" makes no finding

  @US-BR-002 @US-BR-003
  Scenario: Without a UCC filing the seller's trustee can avoid the sale
    Given transfer "t-royalties" has no perfection filings
    When the deal is assessed
    Then rule "US-BR-003" finds "fail" about "lic-arbor"
    And a conclusion "sale_of_accounts_unperfected" is drawn about "lic-arbor"
    And the finding of rule "US-BR-003" about "lic-arbor" cites "US-BANKRUPTCY-CODE" article "544"

  @US-BR-003
  Scenario: With the seller's case open, the trustee already holds the lien creditor's rights
    Given transfer "t-royalties" has no perfection filings
    And "helix" entered "reorganisation" proceedings in "US-DE" on "2026-09-20"
    When the deal is assessed
    Then rule "US-BR-003" finds "fail" about "lic-arbor"
    And the finding of rule "US-BR-003" about "lic-arbor" mentions "opened on 2026-09-20"

  @US-BR-004
  Scenario: Licensees of US patents keep their licences, licensees of foreign patents are not protected
    When the deal is assessed
    Then rule "US-BR-004" finds "pass" about "lic-arbor"
    And rule "US-BR-004" finds "risk" about "lic-kisaragi"

  @US-BR-004
  Scenario: A licence the SPV itself grants is not the originator's to reject
    Given licence "lic-arbor" is granted by "funding"
    When the deal is assessed
    Then rule "US-BR-004" makes no finding about "lic-arbor"

  @US-BR-005 @US-BR-006
  Scenario: A notified licensee must pay the SPV
    When the deal is assessed
    Then rule "US-BR-006" makes no finding

  @US-BR-005 @US-BR-006
  Scenario: A licensee not told of the sale may still pay the originator
    Given licensee "arbor" was not notified of transfer "t-royalties"
    When the deal is assessed
    Then rule "US-BR-006" finds "risk" about "lic-arbor"
    And a conclusion "assignment_not_binding_on_licensee" is drawn about "lic-arbor"

  @US-BR-007 @US-BR-008
  Scenario: A sale without recourse, at value and with collections in the SPV's account reads as a sale
    Given licence "lic-kisaragi" pays into account "acc-collection"
    When the deal is assessed
    Then rule "US-BR-007" finds "pass" about "t-royalties"
    And rule "US-BR-008" makes no finding

  @US-BR-007 @US-BR-008
  Scenario: Full recourse to the seller points to a secured loan
    Given transfer "t-royalties" carries "full" recourse
    When the deal is assessed
    Then rule "US-BR-008" finds "risk" about "t-royalties"
    And a conclusion "sale_may_be_loan" is drawn about "t-royalties"

  @US-BR-009
  Scenario: A sale at less than reasonably equivalent value can be avoided for two years
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    When the deal is assessed
    Then rule "US-BR-009" finds "risk" about "t-royalties"
    And the figure "days_exposed" of rule "US-BR-009" about "t-royalties" is about 715

  @US-BR-009
  Scenario: A sale near value raises no fraudulent-transfer question
    When the deal is assessed
    Then rule "US-BR-009" makes no finding

  @US-BR-009
  Scenario: In a case commenced on 2006-04-20 the look-back was still one year
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And the sale "t-royalties" took place on "2005-03-17"
    When the deal is assessed as of "2006-04-20"
    Then rule "US-BR-009" makes no finding

  @US-BR-009
  Scenario: In a case commenced on 2006-04-21 the two-year look-back applies
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And the sale "t-royalties" took place on "2005-03-17"
    When the deal is assessed as of "2006-04-21"
    Then rule "US-BR-009" finds "risk" about "t-royalties"
    And the figure "days_exposed" of rule "US-BR-009" about "t-royalties" is about 330

  @US-BR-009 @US-BR-013
  Scenario: With the seller's case open, both look-backs run from its actual petition
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And "helix" entered "reorganisation" proceedings in "US-DE" on "2026-09-20"
    When the deal is assessed
    Then rule "US-BR-009" finds "fail" about "t-royalties"
    And the figure "days_before_petition" of rule "US-BR-009" about "t-royalties" is about 5
    And the finding of rule "US-BR-009" about "t-royalties" mentions "opened on 2026-09-20"
    And rule "US-BR-013" finds "fail" about "t-royalties"

  @US-BR-009 @US-BR-013
  Scenario: A sale three years before the actual petition is outside §548 but within state law
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And the sale "t-royalties" took place on "2023-09-15"
    And "helix" entered "reorganisation" proceedings in "US-DE" on "2026-09-20"
    When the deal is assessed
    Then rule "US-BR-009" finds "pass" about "t-royalties"
    And rule "US-BR-013" finds "fail" about "t-royalties"
    And the finding of rule "US-BR-013" about "t-royalties" cites "US-DE-UFTA" article "1309"

  @US-BR-013
  Scenario: State fraudulent-transfer law reaches an undervalue sale for four years
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    When the deal is assessed
    Then rule "US-BR-013" finds "risk" about "t-royalties"
    And the figure "days_exposed" of rule "US-BR-013" about "t-royalties" is about 1446
    And the finding of rule "US-BR-013" about "t-royalties" cites "US-BANKRUPTCY-CODE" article "544(b)"

  @US-BR-009 @US-BR-013
  Scenario: Three years after the sale §548 no longer reaches it, but state law still does
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And the sale "t-royalties" took place on "2023-09-15"
    When the deal is assessed
    Then rule "US-BR-009" makes no finding
    And rule "US-BR-013" finds "risk" about "t-royalties"
    And the figure "days_exposed" of rule "US-BR-013" about "t-royalties" is about 350

  @US-BR-013
  Scenario: Five years after the sale neither look-back reaches it
    Given transfer "t-royalties" is made for 200000000 against an appraised value of 440000000
    And the sale "t-royalties" took place on "2021-09-01"
    When the deal is assessed
    Then rule "US-BR-013" makes no finding

  @US-BR-013
  Scenario: A sale near value raises no state-law fraudulent-transfer question
    When the deal is assessed
    Then rule "US-BR-013" makes no finding

  @US-BR-010
  Scenario: Royalties paid into the originator's own account are commingled
    When the deal is assessed
    Then rule "US-BR-010" finds "risk" about "lic-kisaragi"

  @US-BR-010
  Scenario: Royalties paid into the SPV's account are not
    Given licence "lic-kisaragi" pays into account "acc-collection"
    When the deal is assessed
    Then rule "US-BR-010" makes no finding

  @US-BR-011
  Scenario: The originator services alone
    When the deal is assessed
    Then rule "US-BR-011" finds "risk" about "helix"

  @US-BR-011
  Scenario: A backup servicer stands ready
    Given "trustee" is named backup servicer
    When the deal is assessed
    Then rule "US-BR-011" finds "pass" about "helix"

  @US-BR-012
  Scenario: A patent expiring before the legal final cannot earn royalties after expiry
    When the deal is assessed
    Then rule "US-BR-012" finds "risk" about "us-001"
    And the finding of rule "US-BR-012" about "us-001" cites "US-CASE-BRULOTTE"

  @US-BR-012
  Scenario: A patent that outlasts the notes raises no term question
    When the deal is assessed
    Then rule "US-BR-012" makes no finding about "us-003"

  @US-BR-014
  Scenario: No true-sale opinion is recorded for the sale of the royalties
    When the deal is assessed
    Then rule "US-BR-014" finds "risk" about "t-royalties"
    And the finding of rule "US-BR-014" about "t-royalties" cites "US-MARKET-PRACTICE-LEGAL-OPINIONS"

  @US-BR-014
  Scenario: US counsel's true-sale opinion covers the sale
    Given a "true_sale" opinion under "US" law by "Example & Partners LLP" dated "2026-09-15" covers transfer "t-royalties"
    When the deal is assessed
    Then rule "US-BR-014" finds "pass" about "t-royalties"

  @US-BR-014
  Scenario: A true-sale opinion under another country's law does not answer the US question
    Given a "true_sale" opinion under "JP" law by "Example Gaiko Jimusho" dated "2026-09-15" covers transfer "t-royalties"
    When the deal is assessed
    Then rule "US-BR-014" finds "risk" about "t-royalties"

  @US-BR-014
  Scenario: A Japanese seller's transfer is not for US counsel to opine on
    Given the example deal "jp_tmk_licence"
    When the deal is assessed
    Then rule "US-BR-014" makes no finding
