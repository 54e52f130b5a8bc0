Feature: China — tax
  Royalties leaving China bear enterprise income tax withheld at source (10%, or a treaty rate);
  transferring a Chinese patent for value bears VAT and stamp duty, under the law in force on the date.

  Background:
    Given the example deal "cn_licence_special_plan"

  @CN-TAX-001
  Scenario: Royalties paid to an offshore SPV lose the withholding tax
    Given the SPV is tax resident in "HK"
    When the deal is assessed
    Then rule "CN-TAX-001" finds "risk" about "lic-yuanwei"
    And the figure "withholding_rate" of rule "CN-TAX-001" about "lic-yuanwei" is about 0.10

  @CN-TAX-001
  Scenario: A treaty rate and a gross-up protect the royalty
    Given the SPV is tax resident in "HK"
    And a treaty rate of 0.07 applies to royalties from "CN" to "HK"
    And the licensees gross up for withholding tax
    When the deal is assessed
    Then rule "CN-TAX-001" finds "info" about "lic-yuanwei"
    And the figure "withholding_rate" of rule "CN-TAX-001" about "lic-yuanwei" is about 0.07

  @CN-TAX-001
  Scenario: Royalties that stay in China bear no withholding
    When the deal is assessed
    Then rule "CN-TAX-001" makes no finding

  @CN-TAX-002
  Scenario Outline: VAT on assigning a Chinese patent follows the law in force on the date
    When the deal is assessed as of "<date>"
    Then rule "CN-TAX-002" finds "info" about "t-optics"
    And the finding of rule "CN-TAX-002" about "t-optics" cites "<authority>"

    Examples:
      | date       | authority          |
      | 2025-06-30 | CN-CAISHUI-2016-36 |
      | 2026-06-30 | CN-VAT-LAW         |

  @CN-TAX-002
  Scenario: A transfer of receivables alone is not a transfer of patent rights
    Given transfer "t-optics" is removed
    When the deal is assessed
    Then rule "CN-TAX-002" makes no finding

  @CN-TAX-003
  Scenario Outline: Stamp duty on the assignment instrument applies from the Stamp Duty Law
    When the deal is assessed as of "<date>"
    Then rule "CN-TAX-003" <outcome>

    Examples:
      | date       | outcome                          |
      | 2022-06-30 | makes no finding                 |
      | 2022-07-01 | finds "info" about "t-optics"    |
