Feature: China — tax
  Royalties leaving China bear enterprise income tax withheld at source (10%, or a treaty rate); royalties for
  patents used in China bear VAT, withheld by the licensee where the licensor is abroad; transferring a Chinese
  patent for value bears VAT and stamp duty, under the law in force on the date.

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

  @CN-TAX-002 @CN-TAX-004
  Scenario Outline: VAT on assigning a Chinese patent follows the law in force on the date
    When the deal is assessed as of "<date>"
    Then rule "<rule>" finds "info" about "t-optics"
    And the finding of rule "<rule>" about "t-optics" cites "<authority>"
    And rule "<superseded>" makes no finding

    Examples:
      | date       | rule       | authority          | superseded |
      | 2016-05-01 | CN-TAX-004 | CN-CAISHUI-2016-36 | CN-TAX-002 |
      | 2025-12-31 | CN-TAX-004 | CN-CAISHUI-2016-36 | CN-TAX-002 |
      | 2026-01-01 | CN-TAX-002 | CN-VAT-LAW         | CN-TAX-004 |
      | 2026-06-30 | CN-TAX-002 | CN-VAT-LAW         | CN-TAX-004 |

  @CN-TAX-004
  Scenario: Before the 2016 VAT reform notice, ipsa applies no VAT rule to a patent transfer
    When the deal is assessed as of "2016-04-30"
    Then rule "CN-TAX-004" makes no finding

  @CN-TAX-002 @CN-TAX-004
  Scenario: A transfer of receivables alone is not a transfer of patent rights
    Given transfer "t-optics" is removed
    When the deal is assessed
    Then rule "CN-TAX-002" makes no finding

  @CN-TAX-005
  Scenario: A company SPV pays enterprise income tax
    Given the SPV form is "cn_company"
    When the deal is assessed
    Then rule "CN-TAX-005" finds "risk" about "plan"
    And the figure "entity_tax_rate" of rule "CN-TAX-005" about "plan" is about 0.25

  @CN-TAX-005
  Scenario: A special plan is not taxed as a company
    When the deal is assessed
    Then rule "CN-TAX-005" makes no finding

  @CN-TAX-003
  Scenario Outline: Stamp duty on the assignment instrument applies from the Stamp Duty Law
    When the deal is assessed as of "<date>"
    Then rule "CN-TAX-003" <outcome>

    Examples:
      | date       | outcome                          |
      | 2022-06-30 | makes no finding                 |
      | 2022-07-01 | finds "info" about "t-optics"    |

  @CN-TAX-006
  Scenario: A licensor outside China has VAT withheld from royalties for patents used in China
    Given party "lingxi" is established in "HK"
    When the deal is assessed
    Then rule "CN-TAX-006" finds "risk" about "lic-yuanwei"
    And the figure "vat_rate" of rule "CN-TAX-006" about "lic-yuanwei" is about 0.06
    And the finding of rule "CN-TAX-006" about "lic-yuanwei" cites "CN-VAT-LAW" article "15"

  @CN-TAX-006 @CN-TAX-001
  Scenario: Royalties paid abroad by a Chinese licensor's licensees bear income tax withheld, and VAT the licensor pays
    Given the SPV is tax resident in "HK"
    When the deal is assessed
    Then rule "CN-TAX-001" finds "risk" about "lic-yuanwei"
    And rule "CN-TAX-006" finds "info" about "lic-yuanwei"

  @CN-TAX-006
  Scenario: A gross-up protects the royalty from the VAT withheld
    Given party "lingxi" is established in "HK"
    And the licensees gross up for withholding tax
    When the deal is assessed
    Then rule "CN-TAX-006" finds "info" about "lic-yuanwei"

  @CN-TAX-006
  Scenario: Royalties between Chinese parties raise no VAT withholding
    When the deal is assessed
    Then rule "CN-TAX-006" makes no finding

  @CN-TAX-006 @CN-TAX-007
  Scenario Outline: VAT withheld on royalties follows the law in force on the date
    Given party "lingxi" is established in "HK"
    When the deal is assessed as of "<date>"
    Then rule "<rule>" finds "risk" about "lic-yuanwei"
    And the finding of rule "<rule>" about "lic-yuanwei" cites "<authority>"
    And rule "<superseded>" makes no finding

    Examples:
      | date       | rule       | authority          | superseded |
      | 2025-12-31 | CN-TAX-007 | CN-CAISHUI-2016-36 | CN-TAX-006 |
      | 2026-01-01 | CN-TAX-006 | CN-VAT-LAW         | CN-TAX-007 |

  @CN-TAX-007
  Scenario: Before 2026, royalties between Chinese parties raised no VAT withholding either
    When the deal is assessed as of "2025-06-30"
    Then rule "CN-TAX-007" makes no finding

  @CN-TAX-007
  Scenario: Before the 2016 notice, ipsa applies no VAT rule to royalties
    Given party "lingxi" is established in "HK"
    When the deal is assessed as of "2016-04-30"
    Then rule "CN-TAX-007" makes no finding
