Feature: Japan — tax
  A TMK deducts its dividends only if it pays out more than 90% of its distributable profit and meets the other
  conditions of Special Taxation Measures Act Art 67-14 (register, holders of its securities, a mainly domestic
  offering, specified assets in trust). Royalties paid from Japan to a non-resident bear 20% income tax (Income Tax Act
  Art 213) plus the reconstruction surtax of the 2011 reconstruction-funding Act, 20.42% until 2037, unless a treaty
  reduces it; the FY2026 reform is not reflected because its enacted text was not read.

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
    And rule "JP-TAX-003" makes no finding

  @JP-TAX-003
  Scenario: A TMK whose specified assets are not shown in trust does not show every condition of the deduction
    Given the example deal "jp_tmk_licence"
    And the SPV names no manager or trustee
    When the deal is assessed
    Then rule "JP-TAX-003" finds "risk" about "tmk"
    And the finding of rule "JP-TAX-003" about "tmk" cites "JP-SPECIAL-TAX-MEASURES-ACT" article "67-14"

  @JP-TAX-003
  Scenario: A notified TMK with institutional investors in Japan and its assets in trust shows the conditions
    Given the example deal "jp_tmk_licence"
    And the SPV manager or trustee is "mizuho-trust"
    When the deal is assessed
    Then rule "JP-TAX-003" finds "pass" about "tmk"

  @JP-TAX-003
  Scenario: Specified bonds privately placed with retail investors meet neither bond limb
    Given the example deal "jp_tmk_licence"
    And the SPV manager or trustee is "mizuho-trust"
    And note class "junior" is sold to "retail" investors
    When the deal is assessed
    Then rule "JP-TAX-003" finds "risk" about "tmk"

  @JP-TAX-003
  Scenario: Investors abroad put the mainly-domestic offering in question
    Given the example deal "jp_tmk_licence"
    And the SPV manager or trustee is "mizuho-trust"
    And the notes are also sold to investors in "US"
    When the deal is assessed
    Then rule "JP-TAX-003" finds "risk" about "tmk"

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
