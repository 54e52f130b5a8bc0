Feature: Vietnam — supervision
  With no securitization statute the notes are corporate bonds: a private placement goes only to professional
  investors. From 2026-01-01 (Law 56/2024/QH15) individuals among them may buy only bonds that are credit-rated AND
  either secured by collateral or guaranteed by a credit institution. Resolution 68-NQ/TW (2025) is the policy context
  for IP-backed finance for private firms.

  Background:
    Given the example deal "vn_company_spv"

  @VN-SUP-001
  Scenario: Rated, bank-guaranteed bonds placed with professional investors are open to individuals
    Given note class "bonds" is rated "A"
    When the deal is assessed
    Then rule "VN-SUP-001" finds "pass" about "deal"

  @VN-SUP-001
  Scenario: A bank guarantee without a rating no longer opens the bonds to individuals
    When the deal is assessed
    Then rule "VN-SUP-001" finds "risk" about "deal"
    And the finding of rule "VN-SUP-001" about "deal" cites "VN-LAW-56-2024"

  @VN-SUP-001
  Scenario: A rating without collateral or a guarantee is not enough either
    Given note class "bonds" is rated "A"
    And the notes have no guarantee or insurance
    When the deal is assessed
    Then rule "VN-SUP-001" finds "risk" about "deal"

  @VN-SUP-001
  Scenario: Unrated, unguaranteed bonds narrow the buyers to institutions
    Given the notes have no guarantee or insurance
    When the deal is assessed
    Then rule "VN-SUP-001" finds "risk" about "deal"

  @VN-SUP-001
  Scenario: Retail buyers are not allowed
    Given note class "bonds" is sold to "retail" investors
    When the deal is assessed
    Then rule "VN-SUP-001" finds "fail" about "deal"

  @VN-SUP-001 @VN-SUP-004
  Scenario Outline: The individual-investor condition starts on 2026-01-01
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier    | earlier outcome           | later      | later outcome             |
      | 2025-12-31 | VN-SUP-004 | finds "pass" about "deal" | VN-SUP-001 | makes no finding          |
      | 2026-01-01 | VN-SUP-004 | makes no finding          | VN-SUP-001 | finds "risk" about "deal" |

  @VN-SUP-004
  Scenario: Before 2026 retail buyers were not allowed either
    Given note class "bonds" is sold to "retail" investors
    When the deal is assessed as of "2025-12-31"
    Then rule "VN-SUP-004" finds "fail" about "deal"

  @VN-SUP-002
  Scenario Outline: Resolution 68-NQ/TW is policy context from 2025-05-04
    When the deal is assessed as of "<date>"
    Then rule "VN-SUP-002" <outcome>

    Examples:
      | date       | outcome                          |
      | 2025-05-03 | makes no finding                 |
      | 2025-05-04 | finds "info" about "songhong"    |

  @VN-SUP-002
  Scenario: A state research institute is not a private firm
    Given the originator "songhong" is a "research_institute"
    When the deal is assessed
    Then rule "VN-SUP-002" makes no finding

  @VN-SUP-003
  Scenario: Bonds that lean on the bank guarantee carry the guarantor's risk
    When the deal is assessed with the risk model
    Then rule "VN-SUP-003" finds "risk" about "deal"

  @VN-SUP-003
  Scenario: Smaller bonds do not depend on the guarantee
    Given note class "bonds" amounts to 20000000000
    When the deal is assessed with the risk model
    Then rule "VN-SUP-003" finds "pass" about "deal"

  @VN-SUP-003
  Scenario: Without a guarantee there is no dependence to weigh
    Given the notes have no guarantee or insurance
    When the deal is assessed with the risk model
    Then rule "VN-SUP-003" makes no finding

  @VN-SUP-003 @VN-SUP-005
  Scenario Outline: The guarantor-dependence rule hands over on 2026-01-01
    When the deal is assessed with the risk model as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier    | earlier outcome           | later      | later outcome             |
      | 2025-12-31 | VN-SUP-005 | finds "risk" about "deal" | VN-SUP-003 | makes no finding          |
      | 2026-01-01 | VN-SUP-005 | makes no finding          | VN-SUP-003 | finds "risk" about "deal" |

  @VN-SUP-005
  Scenario: Before 2026 without a guarantee there was no dependence to weigh
    Given the notes have no guarantee or insurance
    When the deal is assessed with the risk model as of "2025-12-31"
    Then rule "VN-SUP-005" makes no finding
