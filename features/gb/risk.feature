Feature: United Kingdom — risk findings against rating-agency practice
  For an SPV in the United Kingdom ipsa reads the risk model's results against rating-agency practice: concentration
  on one licensee or one patent family, a licensee that also supports the notes, notes leaning on a guarantor or
  insurer, a senior class above its target default probability, patents ending before the notes. Market practice,
  never law; the thresholds are ipsa's.

  @GB-SUP-012 @GB-SUP-013 @GB-SUP-014
  Scenario: A UK SPV over one patent family, insured
    Given the example deal "us_royalty_llc"
    And the SPV is established in "GB"
    When the deal is assessed with the risk model
    Then rule "GB-SUP-012" finds "risk" about "family"
    And rule "GB-SUP-014" finds "risk" about "deal"
    And rule "GB-SUP-013" makes no finding

  @GB-SUP-011 @GB-SUP-015
  Scenario: A UK SPV whose senior class far exceeds what its largest licensee leaves
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "GB"
    And note class "senior" amounts to 90000000000
    When the deal is assessed with the risk model
    Then rule "GB-SUP-011" finds "risk" about "licensee"
    And rule "GB-SUP-015" finds "risk" about "deal"

  @GB-SUP-011 @GB-SUP-014 @GB-SUP-015
  Scenario: A UK SPV with a small senior class stands without its insurer
    Given the example deal "us_royalty_llc"
    And the SPV is established in "GB"
    And note class "A" amounts to 1000000
    When the deal is assessed with the risk model
    Then rule "GB-SUP-011" finds "info" about "licensee"
    And rule "GB-SUP-014" finds "pass" about "deal"
    And rule "GB-SUP-015" finds "pass" about "deal"

  @GB-SUP-012 @GB-SUP-016
  Scenario: A UK SPV over three patent families, with notes due before the patents expire
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "GB"
    And a granted "JP" patent "jp-new" owned by "sakura" is added
    And licence "lic-tohoku" covers only patent "jp-new"
    When the deal is assessed with the risk model
    Then rule "GB-SUP-012" finds "info" about "family"
    And rule "GB-SUP-016" finds "pass" about "deal"

  @GB-SUP-013
  Scenario: A UK SPV whose largest licensee also insures the notes
    Given the example deal "us_royalty_llc"
    And the SPV is established in "GB"
    And licensee "arbor" also insures the senior notes
    When the deal is assessed with the risk model
    Then rule "GB-SUP-013" finds "risk" about "arbor"

  @GB-SUP-016
  Scenario: A UK SPV whose patents expire years before the notes' legal final
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "GB"
    And patent "jp-inspect" expires on "2027-06-30"
    And patent "jp-align" expires on "2027-06-30"
    And patent "us-inspect" expires on "2027-06-30"
    When the deal is assessed with the risk model
    Then rule "GB-SUP-016" finds "risk" about "deal"
