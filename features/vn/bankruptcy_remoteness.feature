Feature: Vietnam — bankruptcy remoteness
  An assignment of a Vietnamese patent takes effect only once registered with IP Viet Nam; a licence binds third
  parties only once registered. An assignment of royalties binds the licensee only after written notice. Nothing
  protects a licensee if the licensor fails, and transfers not at market price in the six months before the court's
  decision to open bankruptcy proceedings were void under the 2014 Law. The Law on Bankruptcy of 2014 applied until
  2026-02-28; the Law on Rehabilitation and Bankruptcy of 2025 applies from 2026-03-01, and each rule resting on the
  insolvency law hands over from one to the other on that day.

  Background:
    Given the example deal "vn_company_spv"

  @VN-BR-001 @VN-BR-002 @VN-BR-003
  Scenario: An unregistered assignment leaves the patent in the originator's estate
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2026-09-30" is added
    When the deal is assessed
    Then rule "VN-BR-003" finds "fail" about "vn-drying"
    And the reasoning of rule "VN-BR-003" about "vn-drying" runs through "VN-BR-001" then "VN-BR-002"
    And the finding of rule "VN-BR-003" about "vn-drying" cites "VN-REHAB-BANKRUPTCY-LAW"
    And the finding of rule "VN-BR-003" about "vn-drying" cites "VN-IP-LAW" article "148"

  @VN-BR-001 @VN-BR-002 @VN-BR-003
  Scenario: An assignment registered with IP Viet Nam passes title
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2026-09-30" is added
    And transfer "t-drying" is registered with the "VN" patent office on "2026-10-20"
    When the deal is assessed
    Then rule "VN-BR-003" makes no finding

  @VN-BR-003 @VN-BR-015
  Scenario Outline: The estate rule hands over from the 2014 Law to the 2025 Law on 2026-03-01
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2025-09-30" is added
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome              | later     | later outcome                |
      | 2026-02-28 | VN-BR-015 | finds "fail" about "vn-drying" | VN-BR-003 | makes no finding             |
      | 2026-03-01 | VN-BR-015 | makes no finding             | VN-BR-003 | finds "fail" about "vn-drying" |

  @VN-BR-015
  Scenario: Under the 2014 Law the estate rule cites the Law on Bankruptcy
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2025-09-30" is added
    When the deal is assessed as of "2026-01-15"
    Then the finding of rule "VN-BR-015" about "vn-drying" cites "VN-BANKRUPTCY-LAW"

  @VN-BR-015
  Scenario: Under the 2014 Law a registered assignment passes title
    Given transfer "t-drying" of patent "vn-drying" from "songhong" on "2025-09-30" is added
    And transfer "t-drying" is registered with the "VN" patent office on "2025-10-20"
    When the deal is assessed as of "2026-01-15"
    Then rule "VN-BR-015" makes no finding

  @VN-BR-005 @VN-BR-006
  Scenario: Licensees notified in writing must pay the SPV
    When the deal is assessed
    Then rule "VN-BR-006" makes no finding

  @VN-BR-005 @VN-BR-006
  Scenario: A licensee not notified may still pay the originator
    Given licensee "mekong" was not notified of transfer "t-rec"
    When the deal is assessed
    Then rule "VN-BR-006" finds "risk" about "lic-mekong"
    And the finding of rule "VN-BR-006" about "lic-mekong" cites "VN-CIVIL-CODE"

  @VN-BR-006 @VN-BR-016
  Scenario Outline: The exposure of un-notified royalties hands over on 2026-03-01
    Given licensee "mekong" was not notified of transfer "t-rec"
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome                 | later     | later outcome                   |
      | 2026-02-28 | VN-BR-016 | finds "risk" about "lic-mekong" | VN-BR-006 | makes no finding                |
      | 2026-03-01 | VN-BR-016 | makes no finding                | VN-BR-006 | finds "risk" about "lic-mekong" |

  @VN-BR-016
  Scenario: Under the 2014 Law notified licensees leave nothing exposed
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-016" makes no finding

  @VN-BR-007
  Scenario: A licence granted by the originator has no protection in its bankruptcy
    When the deal is assessed
    Then rule "VN-BR-007" finds "risk" about "lic-mekong"

  @VN-BR-007
  Scenario: A licence granted by the SPV is not exposed to the originator's failure
    Given licence "lic-mekong" is granted by "spvco"
    When the deal is assessed
    Then rule "VN-BR-007" makes no finding about "lic-mekong"

  @VN-BR-007
  Scenario: A licensor actually in proceedings leaves the licence exposed now
    Given "songhong" is in "liquidation" proceedings opened in "VN" on "2026-10-15"
    When the deal is assessed
    Then rule "VN-BR-007" finds "risk" about "lic-mekong"

  @VN-BR-007 @VN-BR-017
  Scenario Outline: The licensee's lack of protection hands over on 2026-03-01
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome                 | later     | later outcome                   |
      | 2026-02-28 | VN-BR-017 | finds "risk" about "lic-mekong" | VN-BR-007 | makes no finding                |
      | 2026-03-01 | VN-BR-017 | makes no finding                | VN-BR-007 | finds "risk" about "lic-mekong" |

  @VN-BR-017
  Scenario: Under the 2014 Law a licence granted by the SPV is not exposed either
    Given licence "lic-mekong" is granted by "spvco"
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-017" makes no finding about "lic-mekong"

  @VN-BR-018
  Scenario Outline: Under the 2014 Law a transfer far below market price is exposed for six months
    Given transfer "t-rec" is made for 30000000000 against an appraised value of 64000000000
    And transfer "t-rec" is dated "<made>"
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-018" <outcome>
    And rule "VN-BR-008" makes no finding

    Examples:
      | made       | outcome                      |
      | 2025-10-01 | finds "risk" about "t-rec"   |
      | 2025-08-01 | makes no finding             |

  @VN-BR-018
  Scenario: Under the 2014 Law a transfer at a fair price is not exposed
    Given transfer "t-rec" is dated "2025-10-01"
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-018" makes no finding

  @VN-BR-018
  Scenario Outline: Once proceedings are opened, the six months run back from the court's decision to open them
    Given transfer "t-rec" is made for 30000000000 against an appraised value of 64000000000
    And transfer "t-rec" is dated "<made>"
    And "songhong" is in "liquidation" proceedings opened in "VN" on "2026-02-20"
    When the deal is assessed as of "2026-02-27"
    Then rule "VN-BR-018" finds "<status>" about "t-rec"
    And the figure "days_before_opening" of rule "VN-BR-018" about "t-rec" is about <days>

    Examples:
      | made       | status | days |
      | 2025-10-01 | fail   | 142  |
      | 2025-06-01 | risk   | 264  |
      | 2024-06-01 | pass   | 629  |

  @VN-BR-008 @VN-BR-018
  Scenario Outline: From 2026-03-01 a transfer far below market price is judged under the 2025 Law
    Given transfer "t-rec" is made for 30000000000 against an appraised value of 64000000000
    When the deal is assessed as of "<date>"
    Then rule "VN-BR-008" finds "risk" about "t-rec"
    And rule "VN-BR-018" makes no finding
    And the finding of rule "VN-BR-008" about "t-rec" cites "VN-REHAB-BANKRUPTCY-LAW"

    Examples:
      | date       |
      | 2026-10-31 |
      | 2027-06-30 |

  @VN-BR-008
  Scenario: From 2026-03-01 a transfer at a fair price is not exposed
    When the deal is assessed
    Then rule "VN-BR-008" makes no finding

  @VN-BR-008
  Scenario: An actual opening under the 2025 Law is reported with the exposure
    Given transfer "t-rec" is made for 30000000000 against an appraised value of 64000000000
    And "songhong" is in "liquidation" proceedings opened in "VN" on "2026-10-15"
    When the deal is assessed
    Then rule "VN-BR-008" finds "risk" about "t-rec"

  @VN-BR-009 @VN-BR-010
  Scenario: A sale without recourse at value, collected into the SPV's account, reads as a sale
    When the deal is assessed
    Then rule "VN-BR-009" finds "pass" about "t-rec"

  @VN-BR-009 @VN-BR-010
  Scenario: A repurchase obligation points to a financing
    Given transfer "t-rec" obliges the seller to repurchase
    When the deal is assessed
    Then rule "VN-BR-010" finds "risk" about "t-rec"

  @VN-BR-010 @VN-BR-019
  Scenario Outline: The consequence of recharacterisation hands over on 2026-03-01
    Given transfer "t-rec" obliges the seller to repurchase
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome            | later     | later outcome              |
      | 2026-02-28 | VN-BR-019 | finds "risk" about "t-rec" | VN-BR-010 | makes no finding           |
      | 2026-03-01 | VN-BR-019 | makes no finding           | VN-BR-010 | finds "risk" about "t-rec" |

  @VN-BR-019
  Scenario: Under the 2014 Law a clean sale is not recharacterised
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-019" makes no finding

  @VN-BR-011
  Scenario: Royalties paid into the originator's own account are commingled
    Given licence "lic-mekong" pays into an account held by "songhong"
    When the deal is assessed
    Then rule "VN-BR-011" finds "risk" about "lic-mekong"

  @VN-BR-011
  Scenario: Royalties paid into the SPV's account are not
    When the deal is assessed
    Then rule "VN-BR-011" makes no finding

  @VN-BR-011 @VN-BR-020
  Scenario Outline: The commingling rule hands over on 2026-03-01
    Given licence "lic-mekong" pays into an account held by "songhong"
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome                 | later     | later outcome                   |
      | 2026-02-28 | VN-BR-020 | finds "risk" about "lic-mekong" | VN-BR-011 | makes no finding                |
      | 2026-03-01 | VN-BR-020 | makes no finding                | VN-BR-011 | finds "risk" about "lic-mekong" |

  @VN-BR-020
  Scenario: Under the 2014 Law royalties paid into the SPV's account are not commingled
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-020" makes no finding

  @VN-BR-012
  Scenario: The originator services alone
    When the deal is assessed
    Then rule "VN-BR-012" finds "risk" about "songhong"

  @VN-BR-012
  Scenario: A bank stands ready as backup servicer
    Given "vbank" is named backup servicer
    When the deal is assessed
    Then rule "VN-BR-012" finds "pass" about "songhong"

  @VN-BR-012 @VN-BR-021
  Scenario Outline: The backup-servicer rule hands over on 2026-03-01
    When the deal is assessed as of "<date>"
    Then rule "<earlier>" <earlier outcome>
    And rule "<later>" <later outcome>

    Examples:
      | date       | earlier   | earlier outcome               | later     | later outcome                 |
      | 2026-02-28 | VN-BR-021 | finds "risk" about "songhong" | VN-BR-012 | makes no finding              |
      | 2026-03-01 | VN-BR-021 | makes no finding              | VN-BR-012 | finds "risk" about "songhong" |

  @VN-BR-021
  Scenario: Under the 2014 Law a named backup servicer passes
    Given "vbank" is named backup servicer
    When the deal is assessed as of "2026-02-28"
    Then rule "VN-BR-021" finds "pass" about "songhong"

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
