Feature: United States — risk findings against rating-agency practice
  Rating agencies, not statutes, judge whether a royalty pool rests on one licensee or one patent family, whether a
  licensee also supports the notes, whether the notes lean on their guarantor or insurer, whether the senior class
  defaults no more often than its target rating allows, and whether the patents outlast the notes. ipsa reads the
  risk model's results against that practice for an SPV in the United States; the findings cite the criteria as
  market practice, never as law, and the thresholds they apply are ipsa's.

  @US-SUP-005 @US-SUP-006 @US-SUP-007 @US-SUP-009
  Scenario: Without its insurance the pool rests on one licensee and one patent family
    Given the example deal "us_royalty_llc"
    And the notes have no guarantee or insurance
    When the deal is assessed with the risk model
    Then rule "US-SUP-005" finds "risk" about "licensee"
    And the finding of rule "US-SUP-005" about "licensee" mentions "Arbor Pharma Corp. pays 83%"
    And rule "US-SUP-006" finds "risk" about "family"
    And rule "US-SUP-009" finds "risk" about "deal"
    And rule "US-SUP-007" makes no finding
    And rule "US-SUP-008" makes no finding

  @US-SUP-005 @US-SUP-008 @US-SUP-009
  Scenario: A senior class small enough to survive its largest licensee stands without its insurer
    Given the example deal "us_royalty_llc"
    And note class "A" amounts to 1000000
    When the deal is assessed with the risk model
    Then rule "US-SUP-005" finds "info" about "licensee"
    And rule "US-SUP-008" finds "pass" about "deal"
    And rule "US-SUP-009" finds "pass" about "deal"
    And the finding of rule "US-SUP-009" about "deal" mentions "no default on any of 2,000 paths"

  @US-SUP-005
  Scenario: Royalties spread so that no licensee pays more than a fifth
    Given the example deal "us_royalty_llc"
    And the royalties of licence "lic-arbor" are shared equally among 5 licensees
    When the deal is assessed with the risk model
    Then rule "US-SUP-005" finds "pass" about "licensee"

  @US-SUP-007 @US-SUP-008
  Scenario: The largest licensee also insures the notes it pays into
    Given the example deal "us_royalty_llc"
    And licensee "arbor" also insures the senior notes
    When the deal is assessed with the risk model
    Then rule "US-SUP-007" finds "risk" about "arbor"
    And the finding of rule "US-SUP-007" about "arbor" mentions "wrong-way risk"
    And rule "US-SUP-008" finds "risk" about "deal"

  @US-SUP-007
  Scenario: A licensee that holds notes is disclosed, not a credit exposure
    Given the example deal "us_royalty_llc"
    And licensee "kisaragi" also holds notes
    When the deal is assessed with the risk model
    Then rule "US-SUP-007" finds "info" about "kisaragi"

  @US-SUP-006 @US-SUP-010
  Scenario: A US SPV over three patent families whose patents outlast the notes
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "US"
    And a granted "JP" patent "jp-new" owned by "sakura" is added
    And licence "lic-tohoku" covers only patent "jp-new"
    When the deal is assessed with the risk model
    Then rule "US-SUP-006" finds "info" about "family"
    And rule "US-SUP-010" finds "pass" about "deal"

  @US-SUP-010
  Scenario: A US SPV whose patents expire years before the notes' legal final
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "US"
    And patent "jp-inspect" expires on "2027-06-30"
    And patent "jp-align" expires on "2027-06-30"
    And patent "us-inspect" expires on "2027-06-30"
    When the deal is assessed with the risk model
    Then rule "US-SUP-010" finds "risk" about "deal"
