Feature: European Union — risk findings against rating-agency practice
  For an SPV established in any EU member state ipsa reads the risk model's results against rating-agency practice
  (the global agencies, and Scope Ratings in the Union): concentration on one licensee or one patent family, a
  licensee that also supports the notes, notes leaning on a guarantor or insurer, a senior class above its target
  default probability, patents ending before the notes. Market practice, never law; the thresholds are ipsa's. No
  fact says that the SPV is in the Union, so the rules match each member state's code.

  @EU-SUP-007 @EU-SUP-008 @EU-SUP-009
  Scenario: An Irish SPV over one patent family, insured
    Given the example deal "us_royalty_llc"
    And the SPV is established in "IE"
    When the deal is assessed with the risk model
    Then rule "EU-SUP-007" finds "risk" about "family"
    And rule "EU-SUP-009" finds "risk" about "deal"
    And rule "EU-SUP-008" makes no finding

  @EU-SUP-006 @EU-SUP-010
  Scenario: A Luxembourg SPV whose senior class far exceeds what its largest licensee leaves
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "LU"
    And note class "senior" amounts to 90000000000
    When the deal is assessed with the risk model
    Then rule "EU-SUP-006" finds "risk" about "licensee"
    And rule "EU-SUP-010" finds "risk" about "deal"

  @EU-SUP-006 @EU-SUP-009 @EU-SUP-010
  Scenario: A Dutch SPV with a small senior class stands without its insurer
    Given the example deal "us_royalty_llc"
    And the SPV is established in "NL"
    And note class "A" amounts to 1000000
    When the deal is assessed with the risk model
    Then rule "EU-SUP-006" finds "info" about "licensee"
    And rule "EU-SUP-009" finds "pass" about "deal"
    And rule "EU-SUP-010" finds "pass" about "deal"

  @EU-SUP-007 @EU-SUP-011
  Scenario: A German SPV over three patent families, with notes due before the patents expire
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "DE"
    And a granted "JP" patent "jp-new" owned by "sakura" is added
    And licence "lic-tohoku" covers only patent "jp-new"
    When the deal is assessed with the risk model
    Then rule "EU-SUP-007" finds "info" about "family"
    And rule "EU-SUP-011" finds "pass" about "deal"

  @EU-SUP-008
  Scenario: A French SPV whose largest licensee also insures the notes
    Given the example deal "us_royalty_llc"
    And the SPV is established in "FR"
    And licensee "arbor" also insures the senior notes
    When the deal is assessed with the risk model
    Then rule "EU-SUP-008" finds "risk" about "arbor"

  @EU-SUP-006 @EU-SUP-009
  Scenario: An SPV outside the Union is not judged under the EU rules
    Given the example deal "us_royalty_llc"
    And the SPV is established in "CH"
    When the deal is assessed with the risk model
    Then rule "EU-SUP-006" makes no finding
    And rule "EU-SUP-009" makes no finding

  @EU-SUP-011
  Scenario: An Irish SPV whose patents expire years before the notes' legal final
    Given the example deal "jp_tmk_licence"
    And the SPV is established in "IE"
    And patent "jp-inspect" expires on "2027-06-30"
    And patent "jp-align" expires on "2027-06-30"
    And patent "us-inspect" expires on "2027-06-30"
    When the deal is assessed with the risk model
    Then rule "EU-SUP-011" finds "risk" about "deal"
