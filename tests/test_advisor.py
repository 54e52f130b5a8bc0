"""The advisor's edit language, its ranking and plan, and the advise / whatif commands."""

from __future__ import annotations

import json

import pytest

from ipsa.engine import pipeline
from ipsa.engine.advisor.changes import Change, ChangeError, apply_changes, deal_mapping
from ipsa.engine.loading import DealInputError, load_deal
from tests.conftest import EXAMPLES
from tests.test_cli import ipsa


def test_changes_set_append_and_remove_by_id_and_index():
    mapping = {"spv": {"form": "a"}, "transfers": [{"id": "t1", "notices": [{"party": "x"}]}]}
    edited = apply_changes(mapping, [
        Change(set="spv.form", value="b"),
        Change(set="spv.orphan", value=True),
        Change(append="transfers[t1].registrations", value={"office": "CN"}),
        Change(set="transfers[t1].notices[0].certified_date", value=True),
        Change(remove="transfers[t1].notices[0].party"),
    ])
    assert edited == {"spv": {"form": "b", "orphan": True},
                      "transfers": [{"id": "t1", "notices": [{"certified_date": True}], "registrations": [{"office": "CN"}]}]}
    assert mapping["spv"]["form"] == "a"  # the original is untouched
    with pytest.raises(ChangeError) as caught:
        apply_changes(mapping, [Change(set="spv.form", value="c"), Change(remove="transfers[t9]")])
    assert caught.value.index == 1 and "t9" in str(caught.value)
    with pytest.raises(ValueError):
        Change(set="spv.form")  # a value is required
    with pytest.raises(ValueError):
        Change(set="a", remove="b", value=1)


def test_a_validated_deal_round_trips_through_its_mapping():
    loaded = load_deal(EXAMPLES / "us_royalty_llc.yaml")  # with a CSV patent schedule
    from ipsa.engine.loading import validate_mapping

    again = validate_mapping(deal_mapping(loaded), "again", EXAMPLES)
    assert again.deal.model_copy(update={"patent_schedule": loaded.deal.patent_schedule}) == loaded.deal
    assert len(again.deal.patents) == len(loaded.deal.patents) == 4  # the schedule's rows are not merged twice


def test_whatif_reports_cures_and_refuses_edits_that_break_the_deal():
    loaded = load_deal(EXAMPLES / "cn_licence_special_plan.yaml")
    diff, before, after = pipeline.whatif(loaded, [Change(append="transfers[t-optics].registrations",
                                                          value={"office": "CN", "date": "2026-06-30"})], pipeline.Options(paths=200))
    assert "CN-BR-003 fail about p-optics" in diff.cured and diff.fails_after == diff.fails_before - 1
    with pytest.raises(DealInputError):
        pipeline.whatif(loaded, [Change(set="licences[lic-yuanwei].licensee", value="nobody")], pipeline.Options(paths=200))


def test_advice_is_stable_and_ranks_only_available_forms():
    loaded = load_deal(EXAMPLES / "us_royalty_llc.yaml")
    first = pipeline.run(loaded, pipeline.Options(paths=300)).advice.model_dump(mode="json")
    second = pipeline.run(loaded, pipeline.Options(paths=300)).advice.model_dump(mode="json")
    assert first == second
    ranks = [v["rank"] for v in first["vehicles"] if v["available"]]
    assert ranks == list(range(1, len(ranks) + 1))
    effects = [p["effect"] for p in first["plan"]]
    assert effects == sorted(effects, reverse=True)
    assert all(p["diff"]["cured"] or p["diff"]["changed"] or p["effect"] > 0 for p in first["plan"])


def test_advise_and_whatif_commands(tmp_path):
    advice = json.loads(ipsa("advise", EXAMPLES / "us_royalty_llc.yaml", "--paths", "200", "--json").stdout)
    assert advice["current_form"] == "us_delaware_llc" and advice["plan"]
    text = ipsa("advise", EXAMPLES / "vn_company_spv.yaml", "--paths", "200").stdout
    assert "Rank 1." in text and "Remediation plan" in text and "Not available: " in text  # the memo's own sentence
    changes = tmp_path / "changes.yaml"
    changes.write_text("changes:\n  - set: servicing.backup_servicer\n    value: trustee\n", encoding="utf-8")
    diff = json.loads(ipsa("whatif", EXAMPLES / "us_royalty_llc.yaml", changes, "--paths", "200", "--json").stdout)
    assert "US-BR-011 risk about helix" in diff["cured"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("changes:\n  - set: spv.form\n    value: no_such_form\n", encoding="utf-8")
    result = ipsa("whatif", EXAMPLES / "us_royalty_llc.yaml", broken, check=False)
    assert result.returncode == 2 and f"{broken}:2: changes[0]" in result.stderr and "Traceback" not in result.stderr
    missing = ipsa("whatif", EXAMPLES / "us_royalty_llc.yaml", tmp_path / "none.yaml", check=False)
    assert missing.returncode == 2 and "none.yaml" in missing.stderr


def test_the_advice_starts_from_the_assessment_itself():
    """One set of figures: each proposal's "before" is the assessment's own senior figures, and the variants are
    assessed with the same paths and seed (the defect was a base re-run with other options)."""
    loaded = load_deal(EXAMPLES / "cn_licence_special_plan.yaml")
    assessment = pipeline.run(loaded, pipeline.Options(paths=600, seed=3))
    senior = assessment.risk.classes[0]
    assert assessment.advice.plan
    for proposal in [*assessment.advice.plan, assessment.advice.insurance]:
        assert proposal.diff.before.senior_pd == senior.pd
        assert proposal.diff.before.required_enhancement == assessment.risk.enhancement.required_enhancement
    assert assessment.options.paths == 600 and assessment.options.seed == 3


def test_without_risk_the_advisor_runs_no_risk_either():
    loaded = load_deal(EXAMPLES / "us_royalty_llc.yaml")
    assessment = pipeline.run(loaded, pipeline.Options(risk=False))
    assert assessment.risk is None and assessment.advice.insurance is None
    assert all(p.diff.after.senior_pd is None for p in assessment.advice.plan)


def test_the_advisor_keys_on_what_a_rule_is_about():
    """A backup servicer is proposed for a missing backup servicer, not for a commingling or clawback finding."""
    from ipsa.engine.advisor.proposals import candidates
    from tests.conftest import assess_mapping, example_mapping

    deal = example_mapping("cn_licence_special_plan")
    deal["servicing"]["backup_servicer"] = None
    base = assess_mapping(deal)
    assert any("backup_servicer" in f.tags for f in base.findings if f.status in ("fail", "risk"))
    from ipsa.engine.loading import validate_mapping

    loaded = validate_mapping(deal, "edited", EXAMPLES)
    assert "backup_servicer" in {c.id for c in candidates(loaded, base, base.as_of)}
    cured = [f for f in base.findings if "backup_servicer" not in f.tags]
    assert "backup_servicer" not in {c.id for c in candidates(loaded, base.model_copy(update={"findings": cured}), base.as_of)}


def test_whatif_names_which_deal_it_is_working_on():
    """A what-if runs the deal twice; the stages shown on a terminal say which run is under way."""
    seen: list[str] = []
    pipeline.whatif(load_deal(EXAMPLES / "us_royalty_llc.yaml"), [Change(set="spv.non_petition", value=False)],
                    pipeline.Options(paths=200, advice=False, stage=seen.append), label="changes.yaml")
    assert seen == ["the deal as it stands: applying the rules and modelling the risk",
                    "the deal with changes.yaml: applying the rules and modelling the risk"]


@pytest.mark.parametrize("name", ["us_royalty_llc", "cn_licence_special_plan"])
def test_a_variant_assessed_without_its_reasoning_has_the_same_findings_and_figures(name):
    """The advisor assesses its variants without rebuilding their chains of reasoning, trace and fact records:
    everything it compares (each finding's status, subject, texts and figures, the risk results) is what the full
    assessment of the same variant gives."""
    from ipsa.engine.advisor.changes import revalidate
    from ipsa.engine.assess import assess
    from ipsa.engine.risk import RiskOptions

    loaded = load_deal(EXAMPLES / f"{name}.yaml")
    variant = revalidate(loaded, [Change(set="deal.name", value="A variant")], "rename")
    options = RiskOptions(paths=500, select=False)
    full = assess(variant, None, options)
    lean = assess(variant, None, options, reasoning=False)
    assert full.findings and all(f.because for f in full.findings if f.status != "info") and full.trace and full.facts
    assert all(not f.because for f in lean.findings) and not lean.trace and not lean.facts
    assert [f.model_dump(exclude={"because"}) for f in lean.findings] == [f.model_dump(exclude={"because"}) for f in full.findings]
    assert lean.model_dump(exclude={"findings", "trace", "facts"}) == full.model_dump(exclude={"findings", "trace", "facts"})
