Feature: United States — tax
  The issuer should pay no entity-level tax (disregarded or a partnership). US-source royalties paid to a foreign
  person bear 30% withholding unless a treaty reduces it.

  @US-TAX-001
  Scenario Outline: The LLC's federal tax classification decides whether it is tax-neutral
    Given the example deal "us_royalty_llc"
    And the SPV's tax classification is "<classification>"
    When the deal is assessed
    Then rule "US-TAX-001" finds "<status>" about "funding"

    Examples:
      | classification | status |
      | disregarded    | pass   |
      | partnership    | pass   |
      | corporation    | fail   |

  @US-TAX-001
  Scenario: An unstated classification must be confirmed
    Given the example deal "us_royalty_llc"
    When the deal is assessed
    Then rule "US-TAX-001" finds "risk" about "funding"

  @US-TAX-002
  Scenario: The US-Japan treaty removes withholding on royalties paid to a Japanese TMK
    Given the example deal "jp_tmk_licence"
    When the deal is assessed
    Then rule "US-TAX-002" finds "pass" about "lic-pinecrest"

  @US-TAX-002
  Scenario: Without treaty relief 30% is withheld
    Given the example deal "jp_tmk_licence"
    And no treaty rate is given
    When the deal is assessed
    Then rule "US-TAX-002" finds "risk" about "lic-pinecrest"
    And the figure "withholding_rate" of rule "US-TAX-002" about "lic-pinecrest" is about 0.30

  @US-TAX-002
  Scenario: Royalties paid within the United States bear no withholding
    Given the example deal "us_royalty_llc"
    When the deal is assessed
    Then rule "US-TAX-002" makes no finding
