Feature: China — bankruptcy remoteness
  The pool must leave the originator's estate. A Chinese patent assignment takes effect only on CNIPA
  registration; a receivables assignment binds the licensee only after notice; a licence from a Chinese
  originator can be terminated by its administrator; a transfer at a clearly unreasonable price can be set aside.
  Market practice (not statute) asks PRC counsel for a true-sale opinion and, for a company SPV, a
  non-consolidation opinion at closing.

  Background:
    Given the example deal "cn_licence_special_plan"

  @CN-BR-001 @CN-BR-002 @CN-BR-003
  Scenario: An assignment registered with CNIPA passes title to the plan
    Given transfer "t-optics" is registered with the "CN" patent office on "2026-03-25"
    When the deal is assessed
    Then rule "CN-BR-003" makes no finding
    And no conclusion "transfer_not_effective" is drawn about "p-optics"
    And no conclusion "spv_lacks_title" is drawn about "p-optics"

  @CN-BR-001 @CN-BR-002 @CN-BR-003
  Scenario: An unregistered assignment leaves the patent in the originator's estate
    When the deal is assessed
    Then rule "CN-BR-003" finds "fail" about "p-optics"
    And the reasoning of rule "CN-BR-003" about "p-optics" runs through "CN-BR-001" then "CN-BR-002"
    And the finding of rule "CN-BR-003" about "p-optics" cites "CN-PATENT-LAW" article "10"

  @CN-BR-001
  Scenario: Registration in another office does not make a Chinese assignment effective
    Given transfer "t-optics" is registered with the "US" patent office on "2026-03-25"
    When the deal is assessed
    Then a conclusion "transfer_not_effective" is drawn about "p-optics"

  @CN-BR-004 @CN-BR-003
  Scenario: An unregistered trust over a patent: the estate finding displaces the trust finding
    Given transfer "t-optics" is made by "trust_settlement"
    When the deal is assessed
    Then rule "CN-BR-003" finds "fail" about "p-optics"
    And the finding of rule "CN-BR-004" about "p-optics" is displaced by "CN-BR-003"

  @CN-BR-004
  Scenario: A registered trust over a patent still risks the settlor's estate
    Given transfer "t-optics" is made by "trust_settlement"
    And transfer "t-optics" is registered with the "CN" patent office on "2026-03-25"
    When the deal is assessed
    Then rule "CN-BR-004" finds "risk" about "p-optics"
    And rule "CN-BR-003" makes no finding

  @CN-BR-004
  Scenario: No trust, no trust-estate question
    When the deal is assessed
    Then rule "CN-BR-004" makes no finding

  @CN-BR-005 @CN-BR-006
  Scenario: A licensee who was not notified can still pay the originator
    When the deal is assessed
    Then rule "CN-BR-006" finds "risk" about "lic-minhang"
    And a conclusion "assignment_not_binding_on_licensee" is drawn about "lic-minhang"
    And the finding of rule "CN-BR-006" about "lic-minhang" cites "CN-CIVIL-CODE" article "546"

  @CN-BR-005 @CN-BR-006
  Scenario: Notice to every licensee makes the assignment binding on them
    Given licensee "minhang" is notified of transfer "t-receivables" on "2026-03-18"
    When the deal is assessed
    Then rule "CN-BR-006" makes no finding
    And no conclusion "assignment_not_binding_on_licensee" is drawn about "lic-minhang"

  @CN-BR-007
  Scenario: The originator's administrator may terminate the licences it granted
    When the deal is assessed
    Then rule "CN-BR-007" finds "risk" about "lic-yuanwei"
    And the finding of rule "CN-BR-007" about "lic-yuanwei" cites "CN-EBL" article "18"

  @CN-BR-007
  Scenario: A licence granted by the plan itself is not the originator's contract
    Given licence "lic-yuanwei" is granted by "plan"
    When the deal is assessed
    Then rule "CN-BR-007" makes no finding about "lic-yuanwei"

  @CN-BR-007
  Scenario: A US licensor's licence to a Chinese licensee is not under the Enterprise Bankruptcy Law
    Given party "lingxi" is established in "US"
    When the deal is assessed
    Then rule "CN-BR-007" makes no finding about "lic-yuanwei"

  @CN-BR-007
  Scenario: A Chinese licensor's licence to a US licensee is under the Enterprise Bankruptcy Law
    Given party "yuanwei" is established in "US"
    When the deal is assessed
    Then rule "CN-BR-007" finds "risk" about "lic-yuanwei"

  @CN-BR-007
  Scenario: Once the court has accepted the petition against the licensor, its administrator holds the election
    Given the CN court accepted a bankruptcy petition against "lingxi" on "2026-05-04"
    When the deal is assessed
    Then rule "CN-BR-007" finds "fail" about "lic-yuanwei"
    And the finding of rule "CN-BR-007" about "lic-yuanwei" cites "CN-EBL" article "53"

  @CN-BR-007
  Scenario: Proceedings against the licensor abroad leave the PRC question hypothetical
    Given "lingxi" is in "reorganisation" proceedings opened in "US" on "2026-05-04"
    When the deal is assessed
    Then rule "CN-BR-007" finds "risk" about "lic-yuanwei"

  @CN-BR-007
  Scenario: Proceedings against the licensee do not give the licensor's election to anyone
    Given the CN court accepted a bankruptcy petition against "yuanwei" on "2026-05-04"
    When the deal is assessed
    Then rule "CN-BR-007" finds "risk" about "lic-yuanwei"

  @CN-BR-008
  Scenario: A cheap transfer within the clawback year can be set aside
    Given transfer "t-optics" is made for 4000000 against an appraised value of 8500000
    When the deal is assessed
    Then rule "CN-BR-008" finds "risk" about "t-optics"
    And the figure "price_ratio" of rule "CN-BR-008" about "t-optics" is about 0.4706

  @CN-BR-008
  Scenario Outline: A fair price, or the end of the window, removes the clawback risk
    Given transfer "t-optics" is made for <price> against an appraised value of 8500000
    When the deal is assessed as of "<date>"
    Then rule "CN-BR-008" makes no finding

    Examples:
      | price   | date       |
      | 8000000 | 2026-06-30 |
      | 4000000 | 2027-03-17 |

  @CN-BR-009 @CN-BR-010
  Scenario: An assignment without recourse at value reads as a sale
    When the deal is assessed
    Then rule "CN-BR-009" finds "pass" about "t-optics"

  @CN-BR-009 @CN-BR-010
  Scenario: Full recourse to the originator points to a financing
    Given transfer "t-optics" carries "full" recourse
    When the deal is assessed
    Then rule "CN-BR-010" finds "risk" about "t-optics"
    And a conclusion "sale_may_be_loan" is drawn about "t-optics"
    And the finding of rule "CN-BR-010" about "t-optics" cites "CN-EBL" article "38"

  @CN-BR-009 @CN-BR-010
  Scenario: The originator servicing and collecting into its own account keeps control of the receivables
    When the deal is assessed
    Then rule "CN-BR-010" finds "risk" about "t-receivables"

  @CN-BR-011
  Scenario: Royalties paid into the originator's own account are commingled
    When the deal is assessed
    Then rule "CN-BR-011" finds "risk" about "lic-minhang"

  @CN-BR-011
  Scenario: Redirecting the royalties to the plan's account cures it
    Given licence "lic-minhang" pays into account "acc-collection"
    When the deal is assessed
    Then rule "CN-BR-011" makes no finding

  @CN-BR-012
  Scenario: The originator services alone
    When the deal is assessed
    Then rule "CN-BR-012" finds "risk" about "lingxi"

  @CN-BR-012
  Scenario: The custodian bank stands ready as backup servicer
    Given "custodian" is named backup servicer
    When the deal is assessed
    Then rule "CN-BR-012" finds "pass" about "lingxi"

  @CN-BR-013
  Scenario: Patents that outlast the notes raise no term question
    When the deal is assessed
    Then rule "CN-BR-013" makes no finding

  @CN-BR-013
  Scenario: A patent expiring before the legal final leaves the tail without its royalties
    Given patent "p-lidar" expires on "2030-03-11"
    When the deal is assessed
    Then rule "CN-BR-013" finds "risk" about "p-lidar"
    And the finding of rule "CN-BR-013" about "p-lidar" cites "CN-PATENT-LAW" article "42"

  @CN-BR-014
  Scenario: No true-sale opinion of PRC counsel is recorded for the sale of the royalties
    When the deal is assessed
    Then rule "CN-BR-014" finds "risk" about "t-receivables"
    And the finding of rule "CN-BR-014" about "t-receivables" cites "CN-PRACTICE-ABS-OPINIONS" article "legal-opinion"

  @CN-BR-014
  Scenario: PRC counsel's true-sale opinion covers the sale of the royalties
    Given counsel gives a true-sale opinion under "CN" law for transfer "t-receivables"
    When the deal is assessed
    Then rule "CN-BR-014" finds "pass" about "t-receivables"
    And rule "CN-BR-014" finds "risk" about "t-optics"

  @CN-BR-014
  Scenario: An opinion under another country's law does not answer the PRC true-sale question
    Given counsel gives a true-sale opinion under "US" law for transfer "t-receivables"
    When the deal is assessed
    Then rule "CN-BR-014" finds "risk" about "t-receivables"

  @CN-BR-014
  Scenario: A foreign seller's transfer is not judged under PRC true-sale practice
    Given party "lingxi" is established in "US"
    When the deal is assessed
    Then rule "CN-BR-014" makes no finding

  @CN-BR-015
  Scenario: A Chinese company SPV without a non-consolidation opinion
    Given the SPV form is "cn_company"
    When the deal is assessed
    Then rule "CN-BR-015" finds "risk" about "plan"

  @CN-BR-015
  Scenario: PRC counsel opines against consolidating the company SPV with the originator
    Given the SPV form is "cn_company"
    And counsel gives a non-consolidation opinion under "CN" law
    When the deal is assessed
    Then rule "CN-BR-015" finds "pass" about "plan"

  @CN-BR-015
  Scenario: A special plan needs no non-consolidation opinion
    When the deal is assessed
    Then rule "CN-BR-015" makes no finding
