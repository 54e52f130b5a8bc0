Feature: United States — tax
  The issuer should pay no entity-level tax (disregarded or a partnership). A royalty's source is where the patents
  are used: royalties for use in the United States are US-source and, paid to a foreign person, bear 30% withholding
  unless a treaty reduces it, whoever pays them; royalties for use abroad are foreign-source and bear none, even when
  a US licensee pays them.

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
  Scenario: Without treaty relief 30% is withheld on royalties for use of the patents in the United States
    Given the example deal "jp_tmk_licence"
    And no treaty rate is given
    When the deal is assessed
    Then rule "US-TAX-002" finds "risk" about "lic-pinecrest"
    And the figure "withholding_rate" of rule "US-TAX-002" about "lic-pinecrest" is about 0.30
    And the finding of rule "US-TAX-002" about "lic-pinecrest" cites "US-IRC" article "861(a)(4)"

  @US-TAX-002
  Scenario: A US licensee using the patents only abroad pays foreign-source royalties, free of US withholding
    Given the example deal "jp_tmk_licence"
    And no treaty rate is given
    And licence "lic-pinecrest" may be used only in "MX"
    When the deal is assessed
    Then rule "US-TAX-002" finds "pass" about "lic-pinecrest"
    And the figure "withholding_rate" of rule "US-TAX-002" about "lic-pinecrest" is about 0
    And the finding of rule "US-TAX-002" about "lic-pinecrest" cites "US-IRC" article "862(a)(4)"

  @US-TAX-002
  Scenario: A foreign licensee using US patents in the United States must withhold US tax
    Given the example deal "jp_tmk_licence"
    And no treaty rate is given
    And party "pinecrest" is established in "JP"
    When the deal is assessed
    Then rule "US-TAX-002" finds "risk" about "lic-pinecrest"
    And the figure "withholding_rate" of rule "US-TAX-002" about "lic-pinecrest" is about 0.30
    And the finding of rule "US-TAX-002" about "lic-pinecrest" mentions "although in JP"

  @US-TAX-002
  Scenario: A territory covering the United States and other countries makes only the US part US-source
    Given the example deal "jp_tmk_licence"
    And no treaty rate is given
    And licence "lic-pinecrest" may be used only in "US, MX"
    When the deal is assessed
    Then rule "US-TAX-002" finds "risk" about "lic-pinecrest"
    And the finding of rule "US-TAX-002" about "lic-pinecrest" mentions "attributable to US use"

  @US-TAX-002
  Scenario: A foreign licensee using the patents abroad and paying a foreign licensor is outside US withholding
    Given the example deal "jp_tmk_licence"
    When the deal is assessed
    Then rule "US-TAX-002" makes no finding about "lic-kansai"

  @US-TAX-002
  Scenario: Royalties paid within the United States bear no withholding
    Given the example deal "us_royalty_llc"
    When the deal is assessed
    Then rule "US-TAX-002" makes no finding
