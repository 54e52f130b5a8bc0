Feature: Vietnam — bankruptcy remoteness
  An assignment of a Vietnamese patent takes effect only once registered with IP Viet Nam; a licence binds third
  parties only once registered. An assignment of royalties binds the licensee only after written notice. Nothing
  protects a licensee if the licensor fails, and undervalue transfers in the six months before bankruptcy are void.

  Background:
    Given the example deal "vn_company_spv"

  @VN-BR-001 @VN-BR-002 @VN-BR-003
  Scenario: An unregistered assignment leaves the patent in the originator's estate
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2026-09-30" is added
    When the deal is assessed
    Then rule "VN-BR-003" finds "fail" about "vn-drying"
    And the reasoning of rule "VN-BR-003" about "vn-drying" runs through "VN-BR-001" then "VN-BR-002"

  @VN-BR-001 @VN-BR-002 @VN-BR-003
  Scenario: An assignment registered with IP Viet Nam passes title
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2026-09-30" is added
    And transfer "t-drying" is registered with the "VN" patent office on "2026-10-20"
    When the deal is assessed
    Then rule "VN-BR-003" makes no finding

  @VN-BR-005 @VN-BR-006
  Scenario: Licensees notified in writing must pay the SPV
    When the deal is assessed
    Then rule "VN-BR-006" makes no finding

  @VN-BR-005 @VN-BR-006
  Scenario: A licensee not notified may still pay the originator
    Given licensee "mekong" was not notified of transfer "t-rec"
    When the deal is assessed
    Then rule "VN-BR-006" finds "risk" about "lic-mekong"

  @VN-BR-007
  Scenario: A licence granted by the originator has no protection in its bankruptcy
    When the deal is assessed
    Then rule "VN-BR-007" finds "risk" about "lic-mekong"

  @VN-BR-007
  Scenario: A licence granted by the SPV is not exposed to the originator's failure
    Given licence "lic-mekong" is granted by "spvco"
    When the deal is assessed
    Then rule "VN-BR-007" makes no finding about "lic-mekong"

  @VN-BR-008
  Scenario Outline: A transfer far below market price is void if bankruptcy follows within six months
    Given transfer "t-rec" is made for 30000000000 against an appraised value of 64000000000
    When the deal is assessed as of "<date>"
    Then rule "VN-BR-008" <outcome>

    Examples:
      | date       | outcome                      |
      | 2026-10-31 | finds "risk" about "t-rec"   |
      | 2027-06-30 | makes no finding             |

  @VN-BR-009 @VN-BR-010
  Scenario: A sale without recourse at value, collected into the SPV's account, reads as a sale
    When the deal is assessed
    Then rule "VN-BR-009" finds "pass" about "t-rec"

  @VN-BR-009 @VN-BR-010
  Scenario: A repurchase obligation points to a financing
    Given transfer "t-rec" obliges the seller to repurchase
    When the deal is assessed
    Then rule "VN-BR-010" finds "risk" about "t-rec"

  @VN-BR-011
  Scenario: Royalties paid into the originator's own account are commingled
    Given licence "lic-mekong" pays into an account held by "songhong"
    When the deal is assessed
    Then rule "VN-BR-011" finds "risk" about "lic-mekong"

  @VN-BR-011
  Scenario: Royalties paid into the SPV's account are not
    When the deal is assessed
    Then rule "VN-BR-011" makes no finding

  @VN-BR-012
  Scenario: The originator services alone
    When the deal is assessed
    Then rule "VN-BR-012" finds "risk" about "songhong"

  @VN-BR-012
  Scenario: A bank stands ready as backup servicer
    Given "vbank" is named backup servicer
    When the deal is assessed
    Then rule "VN-BR-012" finds "pass" about "songhong"

  @VN-BR-013
  Scenario: A registered licence binds third parties, an unregistered one does not
    When the deal is assessed
    Then rule "VN-BR-013" finds "pass" about "lic-mekong"
    And rule "VN-BR-013" finds "risk" about "lic-tayninh"
    And the finding of rule "VN-BR-013" about "lic-tayninh" cites "VN-IP-LAW" article "148"

  @VN-BR-013
  Scenario: Registering the licence cures it
    Given licence "lic-tayninh" is recorded with the "VN" patent office
    When the deal is assessed
    Then rule "VN-BR-013" finds "pass" about "lic-tayninh"

  @VN-BR-014
  Scenario: Patents that outlast the bonds raise no term question
    When the deal is assessed
    Then rule "VN-BR-014" makes no finding

  @VN-BR-014
  Scenario: A patent expiring before the bonds' legal final leaves the tail without its royalties
    Given patent "vn-enzyme" expires on "2030-07-03"
    When the deal is assessed
    Then rule "VN-BR-014" finds "risk" about "vn-enzyme"
