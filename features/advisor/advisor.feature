Feature: The SPV advisor
  The advisor ranks the vehicles the deal's jurisdictions offer and proposes the changes a lawyer would draft.
  Every proposal is applied to the deal and the deal is assessed again, so what it cures is shown, not claimed.

  @advisor
  Scenario: A Vietnamese deal asking for a trust is steered to a company, with the company's risks
    Given the example deal "vn_company_spv"
    And the SPV form is "vn_trust"
    When the advisor reviews the deal
    Then the form "vn_trust" is listed as unavailable
    And the best-ranked form is "vn_company"
    And the plan proposes "adopt_vn_company"
    And the proposal "adopt_vn_company" cures "VN-SPV-001"
    And the proposal "adopt_vn_company" creates "VN-SPV-002"

  @advisor
  Scenario: A Chinese plan holding bare patents is steered to the licence royalties on them
    Given the example deal "cn_licence_special_plan"
    And transfer "t-receivables" is removed
    And transfer "t-optics" assigns the patents "p-lidar, p-tof"
    When the advisor reviews the deal
    Then the plan proposes "licence_backed_plan"
    And the proposal "licence_backed_plan" cures "CN-SUP-002"

  @advisor
  Scenario: An originator-controlled Delaware LLC gets an independent director and separateness covenants
    Given the example deal "us_royalty_llc"
    When the advisor reviews the deal
    Then the plan proposes "independent_director"
    And the proposal "independent_director" cures "US-SPV-002"
    And the proposal "independent_director" creates nothing

  @advisor
  Scenario: An unregistered Chinese assignment is cured by recording it
    Given the example deal "cn_licence_special_plan"
    When the advisor reviews the deal
    Then the plan proposes "record_transfers"
    And the proposal "record_transfers" cures "CN-BR-003"
    And the first proposal is "record_transfers"

  @advisor
  Scenario: Insuring the senior class lowers its default probability net of the insurer's own risk
    Given the example deal "cn_licence_special_plan"
    When the advisor reviews the deal
    Then the insurance proposal lowers the senior default probability

  @advisor
  Scenario: A deal with nothing to fix gets no proposals for it
    Given the example deal "jp_tmk_licence"
    When the advisor reviews the deal
    Then the plan does not propose "independent_director"
    And the best-ranked form is "jp_tmk"
