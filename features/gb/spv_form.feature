Feature: United Kingdom — where the SSPE may be established
  The UK regime bars an SSPE from a high-risk third country. ipsa holds only the countries every such list
  includes, and says so.

  Background:
    Given the example deal "us_royalty_llc"
    And the notes are also sold to investors in "GB"

  @GB-SPV-001
  Scenario: A Delaware SSPE is not in a listed country
    When the deal is assessed
    Then rule "GB-SPV-001" finds "pass" about "deal"

  @GB-SPV-001
  Scenario: An SSPE established in a listed country fails
    Given the SPV is established in "IR"
    When the deal is assessed
    Then rule "GB-SPV-001" finds "fail" about "deal"
