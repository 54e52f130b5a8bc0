Feature: Vietnam — tax
  A company SPV pays corporate income tax (no pass-through vehicle exists); assigning IP rights bears no VAT under
  the 2024 VAT Law; royalties paid abroad bear foreign contractor tax.

  Background:
    Given the example deal "vn_company_spv"

  @VN-TAX-001
  Scenario: A company SPV pays corporate income tax
    When the deal is assessed
    Then rule "VN-TAX-001" finds "risk" about "spvco"
    And the figure "entity_tax_rate" of rule "VN-TAX-001" about "spvco" is about 0.20

  @VN-TAX-001
  Scenario: A fund is not taxed as a company SPV
    Given the SPV form is "vn_securities_investment_fund"
    When the deal is assessed
    Then rule "VN-TAX-001" makes no finding

  @VN-TAX-002
  Scenario Outline: No VAT on assigning Vietnamese patents under the 2024 VAT Law
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2024-10-01" is added
    When the deal is assessed as of "<date>"
    Then rule "VN-TAX-002" <outcome>

    Examples:
      | date       | outcome                         |
      | 2025-06-30 | makes no finding                |
      | 2025-07-01 | finds "info" about "t-drying"   |

  @VN-TAX-003
  Scenario: Royalties paid to an offshore SPV bear foreign contractor tax
    Given the SPV is tax resident in "SG"
    When the deal is assessed
    Then rule "VN-TAX-003" finds "risk" about "lic-mekong"
    And the figure "withholding_rate" of rule "VN-TAX-003" about "lic-mekong" is about 0.10

  @VN-TAX-003
  Scenario: A treaty rate lowers it
    Given the SPV is tax resident in "SG"
    And a treaty rate of 0.05 applies to royalties from "VN" to "SG"
    When the deal is assessed
    Then the figure "withholding_rate" of rule "VN-TAX-003" about "lic-mekong" is about 0.05

  @VN-TAX-003
  Scenario: Royalties paid within Vietnam bear no foreign contractor tax
    When the deal is assessed
    Then rule "VN-TAX-003" makes no finding
