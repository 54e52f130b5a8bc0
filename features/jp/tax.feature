Feature: Japan — tax
  A TMK deducts its dividends only if it pays out more than 90% of its distributable profit. Royalties paid from
  Japan to a non-resident bear 20.42% withholding (20% plus the reconstruction surtax until 2037) unless a treaty
  reduces it.

  @JP-TAX-001
  Scenario Outline: The TMK's payout decides its tax neutrality
    Given the example deal "jp_tmk_licence"
    And the SPV pays out <ratio> of its distributable profit
    When the deal is assessed
    Then rule "JP-TAX-001" finds "<status>" about "tmk"

    Examples:
      | ratio | status |
      | 0.95  | pass   |
      | 0.90  | fail   |
      | 0.60  | fail   |

  @JP-TAX-001
  Scenario: An unstated payout must be fixed
    Given the example deal "jp_tmk_licence"
    And the SPV's payout ratio is not stated
    When the deal is assessed
    Then rule "JP-TAX-001" finds "risk" about "tmk"

  @JP-TAX-001
  Scenario: A GK-TK is not judged by the TMK test
    Given the example deal "jp_tmk_licence"
    And the SPV form is "jp_gk_tk"
    When the deal is assessed
    Then rule "JP-TAX-001" makes no finding

  @JP-TAX-002
  Scenario: The Japan-US treaty removes withholding on royalties paid to a US SPV
    Given the example deal "us_royalty_llc"
    When the deal is assessed
    Then rule "JP-TAX-002" finds "pass" about "lic-kisaragi"

  @JP-TAX-002
  Scenario Outline: Without treaty relief the domestic rate applies, with the surtax until 2037
    Given the example deal "us_royalty_llc"
    And no treaty rate is given
    When the deal is assessed as of "<date>"
    Then rule "JP-TAX-002" finds "risk" about "lic-kisaragi"
    And the figure "withholding_rate" of rule "JP-TAX-002" about "lic-kisaragi" is about <rate>

    Examples:
      | date       | rate   |
      | 2026-09-30 | 0.2042 |
      | 2037-12-31 | 0.2042 |
      | 2038-01-01 | 0.20   |
