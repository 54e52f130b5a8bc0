Feature: Vietnam — supervision
  With no securitization statute the notes are corporate bonds: a private placement goes only to professional
  investors, and individuals among them may buy only rated, secured or bank-guaranteed bonds. Resolution
  68-NQ/TW (2025) is the policy context for IP-backed finance for private firms.

  Background:
    Given the example deal "vn_company_spv"

  @VN-SUP-001
  Scenario: Guaranteed bonds placed with professional investors
    When the deal is assessed
    Then rule "VN-SUP-001" finds "pass" about "deal"

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
