Feature: European Union — where the SSPE may be established
  From 2021-04-09 (Art 4 as amended by Regulation (EU) 2021/557) an SSPE of a securitisation reaching the Union may
  not be established in a third country on the EU list of non-cooperative jurisdictions for tax purposes (Annex I),
  on the EU high-risk AML list, or without an OECD Art 26 agreement. ipsa holds the tax list as dated data, one entry
  per Council revision.

  Background:
    Given the example deal "us_royalty_llc"
    And the notes are also sold to investors in "IE"

  @EU-SPV-001
  Scenario: A Delaware SSPE is not on the lists
    When the deal is assessed
    Then rule "EU-SPV-001" finds "pass" about "deal"

  @EU-SPV-001
  Scenario: An SSPE established in a listed country fails
    Given the SPV is established in "PA"
    When the deal is assessed
    Then rule "EU-SPV-001" finds "fail" about "deal"
    And the finding of rule "EU-SPV-001" about "deal" cites "EU-SECR" article "4"

  @EU-SPV-001
  Scenario Outline: The Council's revision of 2026-02-17 put Viet Nam on Annex I
    Given the SPV is established in "VN"
    When the deal is assessed as of "<date>"
    Then rule "EU-SPV-001" finds "<status>" about "deal"

    Examples:
      | date       | status |
      | 2025-06-30 | pass   |
      | 2026-02-16 | pass   |
      | 2026-02-17 | fail   |
      | 2026-09-30 | fail   |

  @EU-SPV-001
  Scenario Outline: The same revision took Samoa off Annex I
    Given the SPV is established in "WS"
    When the deal is assessed as of "<date>"
    Then rule "EU-SPV-001" finds "<status>" about "deal"

    Examples:
      | date       | status |
      | 2025-06-30 | fail   |
      | 2026-09-30 | pass   |

  @EU-SPV-001
  Scenario: An SSPE in a Member State is outside Art 4
    Given the SPV is established in "IE"
    When the deal is assessed
    Then rule "EU-SPV-001" finds "pass" about "deal"

  @EU-SPV-001
  Scenario: Before ipsa's first held revision it says it cannot tell
    Given the SPV is established in "VN"
    When the deal is assessed as of "2023-06-30"
    Then rule "EU-SPV-001" finds "risk" about "deal"

  @EU-SPV-001
  Scenario: Before Art 4 as amended in 2021 applied ipsa does not apply it
    Given the SPV is established in "PA"
    When the deal is assessed as of "2020-06-30"
    Then rule "EU-SPV-001" makes no finding
