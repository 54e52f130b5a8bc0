Feature: Japan — risk findings against rating-agency practice
  For a TMK or other vehicle in Japan ipsa reads the risk model's results against rating-agency practice (R&I and
  JCR in Japan, and the global agencies): one licensee or one patent family carrying the pool, a licensee that also
  supports the notes, notes leaning on a guarantor or insurer, a senior class above its target default probability,
  patents ending before the notes. Market practice, never law; the thresholds are ipsa's.

  Background:
    Given the example deal "jp_tmk_licence"

  @JP-SUP-005 @JP-SUP-006 @JP-SUP-007 @JP-SUP-008 @JP-SUP-010
  Scenario: A pool carried by one fab licensee and one inspection-patent family
    When the deal is assessed with the risk model
    Then rule "JP-SUP-005" finds "risk" about "licensee"
    And the finding of rule "JP-SUP-005" about "licensee" mentions "Kansai Semiconductor Manufacturing K.K. pays 65%"
    And rule "JP-SUP-006" finds "risk" about "family"
    And rule "JP-SUP-010" finds "pass" about "deal"
    And rule "JP-SUP-007" makes no finding
    And rule "JP-SUP-008" makes no finding

  @JP-SUP-005 @JP-SUP-009
  Scenario: A small senior class rated A survives the loss of its largest licensee
    Given note class "senior" amounts to 10000000
    And note class "senior" is rated "A"
    When the deal is assessed with the risk model
    Then rule "JP-SUP-005" finds "info" about "licensee"
    And rule "JP-SUP-009" finds "pass" about "deal"

  @JP-SUP-009
  Scenario: A senior class far larger than the royalties defaults more often than its target allows
    Given note class "senior" amounts to 90000000000
    When the deal is assessed with the risk model
    Then rule "JP-SUP-009" finds "risk" about "deal"

  @JP-SUP-006
  Scenario: Royalties spread over three patent families, none carrying half
    Given a granted "JP" patent "jp-new" owned by "sakura" is added
    And licence "lic-tohoku" covers only patent "jp-new"
    When the deal is assessed with the risk model
    Then rule "JP-SUP-006" finds "info" about "family"

  @JP-SUP-007 @JP-SUP-008
  Scenario: The largest licensee also insures the senior class
    Given licensee "kansai-fab" also insures the senior notes
    When the deal is assessed with the risk model
    Then rule "JP-SUP-007" finds "risk" about "kansai-fab"
    And rule "JP-SUP-008" finds "risk" about "deal"

  @JP-SUP-007
  Scenario: A licensee that holds notes
    Given licensee "pinecrest" also holds notes
    When the deal is assessed with the risk model
    Then rule "JP-SUP-007" finds "info" about "pinecrest"

  @JP-SUP-010
  Scenario: Inspection patents that expire years before the notes' legal final
    Given patent "jp-inspect" expires on "2027-06-30"
    And patent "jp-align" expires on "2027-06-30"
    And patent "us-inspect" expires on "2027-06-30"
    When the deal is assessed with the risk model
    Then rule "JP-SUP-010" finds "risk" about "deal"
