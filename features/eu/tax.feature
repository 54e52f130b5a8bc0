Feature: European Union — withholding on royalties paid from a Member State
  The Interest and Royalties Directive exempts royalties paid between associated companies of two Member States;
  otherwise the paying state's withholding applies, subject to treaties.

  Background:
    Given the example deal "us_royalty_llc"
    And licensee "arbor" is tax resident in "DE"

  @EU-TAX-001
  Scenario: Royalties from Germany to a US SPV get no help from the Directive
    When the deal is assessed
    Then rule "EU-TAX-001" finds "risk" about "lic-arbor"

  @EU-TAX-001
  Scenario: Royalties between associated companies of two Member States are exempt
    Given the SPV is tax resident in "IE"
    And "arbor" owns 0.3 of the SPV
    When the deal is assessed
    Then rule "EU-TAX-001" finds "pass" about "lic-arbor"

  @EU-TAX-001
  Scenario: Royalties within one Member State do not cross a border
    Given the SPV is tax resident in "DE"
    When the deal is assessed
    Then rule "EU-TAX-001" makes no finding
