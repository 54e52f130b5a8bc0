Feature: United Kingdom — where the SSPE may be established
  From 2024-11-01 regulation 8A of the Securitisation Regulations 2024 (inserted by SI 2024/705) bars an SSPE
  established outside the UK in a country the FATF lists, for the time being, as a high-risk jurisdiction subject to a
  call for enhanced due diligence or countermeasures; there is no tax-list or OECD limb. Before then the onshored
  Art 4 applied; ipsa cites it as a whole and checks only the FATF call-for-action countries.

  Background:
    Given the example deal "us_royalty_llc"
    And the notes are also sold to investors in "GB"

  @GB-SPV-001
  Scenario: A Delaware SSPE is not in a listed country
    When the deal is assessed
    Then rule "GB-SPV-001" finds "pass" about "deal"

  @GB-SPV-001
  Scenario: An SSPE established in a FATF call-for-action country fails reg 8A
    Given the SPV is established in "IR"
    When the deal is assessed
    Then rule "GB-SPV-001" finds "fail" about "deal"
    And the finding of rule "GB-SPV-001" about "deal" cites "UK-SECR-2024" article "8A"

  @GB-SPV-001
  Scenario: A country on the EU tax list but not on the FATF call for action is not barred by reg 8A
    Given the SPV is established in "PA"
    When the deal is assessed
    Then rule "GB-SPV-001" finds "pass" about "deal"

  @GB-SPV-002
  Scenario Outline: Before 2024-11-01 the onshored Art 4 applied
    Given the SPV is established in "<country>"
    When the deal is assessed as of "<date>"
    Then rule "GB-SPV-002" finds "<status>" about "deal"
    And rule "GB-SPV-001" makes no finding

    Examples:
      | country | date       | status |
      | US-DE   | 2023-06-30 | pass   |
      | KP      | 2023-06-30 | fail   |
      | MM      | 2024-10-31 | fail   |

  @GB-SPV-002
  Scenario: From 2024-11-01 reg 8A takes over
    Given the SPV is established in "KP"
    When the deal is assessed as of "2024-11-01"
    Then rule "GB-SPV-002" makes no finding
    And rule "GB-SPV-001" finds "fail" about "deal"
