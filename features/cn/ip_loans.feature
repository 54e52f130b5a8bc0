Feature: China — a special plan over loans secured on IP
  A plan may hold the repayments of loans or finance leases that technology firms secure on their patents and
  trademarks. The pledge of IP exists only once registered (Civil Code Art 444) and follows the loan to the plan
  (Art 547); the sale of the repayments binds each borrower only after notice (Art 546). The repayments are
  contracted cash flow, so the plan's underlying assets are eligible.

  Background:
    Given the example deal "cn_ip_loans_special_plan"

  @CN-BR-016
  Scenario: A registered pledge of IP secures the loan for the plan
    Given the pledge securing loan "loan-teabrand" is registered
    When the deal is assessed
    Then rule "CN-BR-016" makes no finding

  @CN-BR-016
  Scenario: A pledge whose registration is not stated leaves the recovery in doubt
    When the deal is assessed
    Then rule "CN-BR-016" finds "risk" about "loan-teabrand"
    And the finding of rule "CN-BR-016" about "loan-teabrand" cites "CN-CIVIL-CODE" article "444"

  @CN-BR-016
  Scenario: An unregistered pledge is no pledge
    Given the pledge securing loan "loan-chipwave" is not registered
    When the deal is assessed
    Then rule "CN-BR-016" finds "fail" about "loan-chipwave"

  @CN-BR-017
  Scenario: Every borrower was notified of the sale
    When the deal is assessed
    Then rule "CN-BR-017" makes no finding

  @CN-BR-017
  Scenario: A borrower not notified may still repay the originator
    Given licensee "b-lumen" was not notified of transfer "t-loans"
    When the deal is assessed
    Then rule "CN-BR-017" finds "risk" about "loan-lumen"
    And the finding of rule "CN-BR-017" about "loan-lumen" cites "CN-CIVIL-CODE" article "546"

  @CN-SUP-002
  Scenario: Loan repayments are contracted cash flow for the AMAC rules
    When the deal is assessed
    Then rule "CN-SUP-002" finds "pass" about "deal"
