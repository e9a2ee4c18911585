"""Every output format against a golden file, its standard's validator, and its consumer.

Set GOVLINT_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (and read the
diff). The SARIF and JUnit schemas under tests/data are the real ones (see its README).
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

from govlint.catalog import Rule
from govlint.check import render
from govlint.decisions import COMMENT_LIMIT, Decision, comment_length, render_json, render_markdown
from govlint.findings import Finding
from govlint.report import FORMAT_NAMES, Report
from govlint.report.github import ANNOTATIONS_PER_LEVEL, escape_property
from govlint.report.json import published_schema
from govlint.report.markdown import LIMIT, inline
from govlint.report.sarif import security_severity

from conftest import commit_all, git_init, govlint, write

GOLDEN = Path(__file__).parent / "golden"
DATA = Path(__file__).parent / "data"
EXTENSION = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "junit": "xml", "markdown": "md"}

RULES = {
    "TOOL-SPEND": Rule("TOOL-SPEND", "Spend needs a purchase order", "Finance needs a PO above the threshold.", "error", ("spend",), "policies/tool_spend.rego"),
    "TOOL-REVIEW-OVERDUE": Rule("TOOL-REVIEW-OVERDUE", "Tools are reviewed", "Review on a cadence.", "warning"),
    "TOOL-DATA-CONTROLS": Rule("TOOL-DATA-CONTROLS", "Controls for the data", "Controls per classification.", "error"),
    "YAML": Rule("YAML", "File cannot be read strictly", "Strict YAML.", "error"),
    "POLICY-CHANGE": Rule("POLICY-CHANGE", "Pull request changes the rules", "Needs the owners' review.", "warning"),
}
FINDINGS = [
    Finding("POLICY-CHANGE", "warning", None, "policies/tool_spend.rego", None, "rules changed, 100% of them"),
    Finding("TOOL-SPEND", "error", "tool/acme-bi", "registry/tools/acme-bi.yaml", 12,
            "annual cost 48,000 USD: above 25,000 | no PO", "contract", column=1),
    Finding("TOOL-DATA-CONTROLS", "error", "tool/acme-bi", "registry/tools/acme-bi.yaml", 20,
            "lacks SSO\nand MFA <for> confidential & restricted data", "security.sso", column=3),
    Finding("TOOL-DATA-CONTROLS", "error", "tool/hr-ats", "registry/tools/hr-ats.yaml", 22,
            "lacks SCIM", "security.scim", "exception/hr-ats-scim", column=3),
    Finding("TOOL-REVIEW-OVERDUE", "warning", "tool/old-wiki", "registry/tools/old-wiki.yaml", 30,
            "last reviewed 2025-01-01, 400 days ago", "review.last_reviewed", column=3),
    Finding("YAML", "error", None, "registry/tools/link,odd:name.yaml", 1, "symlinks are not followed"),
    Finding("SCHEMA", "error", "vendor/x", None, None, "no file at all"),
]
# What a hostile proposer writes into a name, an alias or a file name.
HOSTILE = (
    "Evil\r\n::error file=x.yaml::forged\x1b[31mred\u202egnp.exe\u2028[l](https://evil.example) "
    "![i](http://x/i.png) @octocat @org/team <script>alert(1)</script> a|b `code` \x00\x07\x85 www.evil.example"
)


def report(strict: bool = False, **changes: Any) -> Report:
    base = Report(
        sorted(FINDINGS, key=lambda f: f.sort_key), RULES, files_checked=42, strict=strict,
        today="2026-11-23", approvals_checked=False,
    )
    return replace(base, **changes)


def hostile_report() -> Report:
    findings = [
        Finding("TOOL-SPEND", "error", f"tool/{HOSTILE}", f"registry/tools/{HOSTILE} 100% <x>|y.yaml", 3,
                f"{HOSTILE} costs too much", "contract", column=1),
        Finding("TOOL-SPEND", "error", f"tool/{HOSTILE}", f"registry/tools/{HOSTILE} 100% <x>|y.yaml", 3,
                f"{HOSTILE} costs too much, again", "contract", column=1),
        Finding("TOOL-VENDOR", "warning", "tool/x", "registry/tools/x.yaml", 4, HOSTILE, waived_by=f"exception/{HOSTILE}"),
    ]
    # Listed with --show-waived, so the waiver's text is tested in every format.
    return Report(findings, RULES, files_checked=2, today="2026-11-23", approvals_checked=False, show_waived=True)


def sarif_validator() -> Draft4Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    return Draft4Validator(schema, format_checker=FormatChecker())


def assert_valid_sarif(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert not errors, errors[0].message
    return document


def assert_valid_junit(text: str) -> ET.Element:
    import xmlschema

    xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(text.encode("utf-8"))
    return ET.fromstring(text)


def assert_valid_json(text: str, schema_name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    validator = Draft202012Validator(published_schema(schema_name), format_checker=FormatChecker())  # type: ignore[arg-type]
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0].message
    return document


def rendered_markdown(text: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # Unsafe: render raw HTML as GitHub would see it, so any that slipped through shows up.
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


def assert_inert_markdown(text: str) -> None:
    html = rendered_markdown(text)
    assert "<a " not in html and "<img" not in html and "<script" not in html, html
    # GitHub links mentions after rendering: `@` directly before a name notifies someone.
    assert not re.search(r"@[A-Za-z0-9]", html), html
    assert not re.search(r"(?i)(https?://|www\.)", html), html


# Golden files.

@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_golden(format_name: str) -> None:
    output = render(report(), format_name)
    golden = GOLDEN / f"report.{EXTENSION[format_name]}"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(output)
    assert output == golden.read_text()


def test_every_golden_file_passes_its_validator() -> None:
    assert_valid_json((GOLDEN / "report.json").read_text(), "check-report")
    assert_valid_sarif((GOLDEN / "report.sarif").read_text())
    assert_valid_junit((GOLDEN / "report.xml").read_text())
    assert_inert_markdown((GOLDEN / "report.md").read_text())
    assert_inert_markdown((GOLDEN / "decisions.md").read_text())
    decisions = GOLDEN / "decisions.json"
    if decisions.exists():
        assert_valid_json(decisions.read_text(), "decisions")


# Text.

def test_text_is_one_finding_a_line_with_column_and_severity() -> None:
    lines = render(report(show_waived=True), "text").splitlines()
    assert "registry/tools/acme-bi.yaml:20:3: TOOL-DATA-CONTROLS error lacks SSO\\x0aand MFA <for> confidential & restricted data" in lines
    assert "registry/tools/hr-ats.yaml:22:3: TOOL-DATA-CONTROLS error (waived by exception/hr-ats-scim) lacks SCIM" in lines
    assert "policies/tool_spend.rego: POLICY-CHANGE warning rules changed, 100% of them" in lines
    assert "govlint: judged as of 2026-11-23" in lines
    assert "govlint: approvals not checked (no --approvals)" in lines


def test_text_keeps_record_text_on_its_line() -> None:
    text = render(hostile_report(), "text")
    findings = [line for line in text.splitlines() if line and not line.startswith("govlint:")]
    assert len(findings) == 3
    assert not any(line.startswith("::") for line in text.splitlines())
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text and "\x85" not in text
    assert "\\x1b[31mred\\u202egnp.exe\\u2028" in findings[0]


def test_text_says_nothing_of_approvals_in_full_mode() -> None:
    assert "approvals" not in render(report(approvals_checked=None), "text")


# GitHub workflow commands.

def test_github_escapes_data_and_properties() -> None:
    lines = render(report(show_waived=True), "github").splitlines()
    assert "::error file=registry/tools/link%2Codd%3Aname.yaml,line=1,title=YAML::symlinks are not followed" in lines
    assert "::error file=registry/tools/acme-bi.yaml,line=20,col=3,title=TOOL-DATA-CONTROLS::lacks SSO%0Aand MFA <for> confidential & restricted data" in lines
    assert any(line.startswith("::notice file=registry/tools/hr-ats.yaml,line=22,") for line in lines)
    assert "::warning file=policies/tool_spend.rego,title=POLICY-CHANGE::rules changed, 100%25 of them" in lines
    assert escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"
    assert "govlint: judged as of 2026-11-23" in lines


def test_github_commands_cannot_be_forged_from_records() -> None:
    text = render(hostile_report(), "github")
    commands = [line for line in text.splitlines() if line.startswith("::")]
    # Two errors and one waived (notice) finding: three commands, and only those.
    assert [COMMAND.match(line) is not None for line in commands] == [True, True, True]
    assert [line.split(" ", 1)[0] for line in commands] == ["::error", "::error", "::notice"]
    assert "\x1b" not in text and "\r" not in text
    assert "file=registry/tools/Evil%0D%0A%3A%3Aerror file=x.yaml%3A%3Aforged" in commands[0]


def test_github_annotates_changed_files_first_and_counts_the_rest() -> None:
    many = [
        Finding("TOOL-SPEND", "error", f"tool/t{i:02}", f"registry/tools/t{i:02}.yaml", 3, "no PO") for i in range(25)
    ]
    changed = frozenset({"registry/tools/t20.yaml", "registry/tools/t24.yaml"})
    lines = render(Report(many, RULES, today="2026-11-23", changed_files=changed), "github").splitlines()
    annotations = [line for line in lines if line.startswith("::error ")]
    assert len(annotations) == ANNOTATIONS_PER_LEVEL
    assert annotations[0].startswith("::error file=registry/tools/t20.yaml,")
    assert annotations[1].startswith("::error file=registry/tools/t24.yaml,")
    assert "registry/tools/t09.yaml:3: TOOL-SPEND error no PO" in lines  # past the limit, still in the log
    assert any(line.startswith("::notice title=govlint::15 more findings not shown as annotations") for line in lines)


# JUnit.

def test_junit_validates_against_the_jenkins_xunit_schema() -> None:
    root = assert_valid_junit(render(report(), "junit"))
    assert root.tag == "testsuites" and root.get("skipped") is None
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "4", "0")
    suites = {suite.get("name"): suite for suite in root}
    assert all(suite.get("errors") == "0" for suite in root)
    assert suites["TOOL-DATA-CONTROLS"].get("failures") == "1" and suites["TOOL-DATA-CONTROLS"].get("skipped") == "1"
    strict = assert_valid_junit(render(report(strict=True), "junit"))
    assert strict.get("failures") == "6"


def test_junit_holds_control_characters_and_unique_names() -> None:
    root = assert_valid_junit(render(hostile_report(), "junit"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert len(names) == len(set(names))
    assert any("\\x1b[31mred" in (case.get("name") or "") for case in root.iter("testcase"))


# SARIF.

def test_the_format_checker_checks_uri_references() -> None:
    # Without rfc3987 (or rfc3986-validator) jsonschema skips uri-reference silently.
    assert not FormatChecker().conforms("registry/a b|c.yaml", "uri-reference")
    assert FormatChecker().conforms("registry/a%20b%7Cc.yaml", "uri-reference")


def test_sarif_validates_and_has_what_code_scanning_uses() -> None:
    document = assert_valid_sarif(render(report(), "sarif"))
    run = document["runs"][0]
    assert run["automationDetails"]["id"] == "govlint/"
    rules = run["tool"]["driver"]["rules"]
    rule_ids = [rule["id"] for rule in rules]
    assert all(rule["helpUri"].startswith("https://") for rule in rules)
    controls = rules[rule_ids.index("TOOL-DATA-CONTROLS")]
    assert "security" in controls["properties"]["tags"] and controls["properties"]["security-severity"] == "8.0"
    assert "security-severity" not in rules[rule_ids.index("TOOL-SPEND")]["properties"]
    assert (security_severity("ATTESTATION-REVIEWER"), security_severity("APPROVAL-MISSING")) == ("7.5", "7.5")
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]["primaryLocationLineHash"]
        assert "suppressions" not in result
        for location in result.get("locations", []):
            if "physicalLocation" in location:
                assert location["physicalLocation"]["region"]["startLine"] >= 1
    assert not any("hr-ats" in json.dumps(result) for result in run["results"])  # waived: left out
    for result in run["results"]:  # code scanning refuses the whole file otherwise
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    fileless = next(r for r in run["results"] if r["ruleId"] == "SCHEMA")
    assert fileless["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/params.yaml"
    spend_rule = Finding("TOOL-SPEND", "error", "budget/x", None, None, "no file")
    anchored = json.loads(render(Report([spend_rule], RULES), "sarif"))["runs"][0]["results"][0]
    assert anchored["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "policies/tool_spend.rego", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1},
    }
    policy = next(r for r in run["results"] if r["ruleId"] == "POLICY-CHANGE")
    assert policy["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    spend = next(r for r in run["results"] if r["ruleId"] == "TOOL-SPEND")
    assert spend["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 1}
    odd = next(r for r in run["results"] if r["ruleId"] == "YAML")
    assert odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "registry/tools/link%2Codd%3Aname.yaml"


def test_sarif_fingerprint_ignores_message_and_line() -> None:
    def hash_of(finding: Finding) -> str:
        document = json.loads(render(Report([finding], RULES), "sarif"))
        return str(document["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"])

    today = Finding("TOOL-REVIEW-OVERDUE", "warning", "tool/a", "registry/tools/a.yaml", 30, "682 days ago", "review")
    tomorrow = replace(today, line=31, message="683 days ago")
    assert hash_of(today) == hash_of(tomorrow)
    assert hash_of(today) != hash_of(replace(today, entity="tool/b"))
    assert hash_of(today) != hash_of(replace(today, path="review.cadence_days"))


def test_sarif_of_hostile_file_names_is_valid() -> None:
    document = assert_valid_sarif(render(hostile_report(), "sarif"))
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "|" not in uri and "<" not in uri and "%25" in uri


def test_sarif_of_the_reference_repository_validates() -> None:
    from govlint.check import CheckSettings, judge

    root = Path(__file__).resolve().parents[1]
    judged = judge(CheckSettings(repo=root, today="2026-11-22", no_cache=True)).report
    assert_valid_sarif(render(judged, "sarif"))


def test_paths_are_from_the_git_root_in_a_monorepo(mini_repo: Any) -> None:
    top = mini_repo.root.parent / "mono"
    mini_repo.root.rename(top / "gov") if top.mkdir() is None else None
    write(top / "gov" / "registry" / "tools" / "bad tool.yaml", "kind: tool\nid: bad\nname: Bad\nsso: false\n")
    git_init(top)
    commit_all(top, "a governance folder inside a bigger repository")
    sarif = govlint("check", str(top / "gov"), "--format", "sarif", "--today", "2026-11-23")
    document = assert_valid_sarif(sarif.stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert "gov/registry/tools/bad%20tool.yaml" in uris
    assert document["runs"][0]["automationDetails"]["id"] == "govlint/gov/"
    github = govlint("check", str(top / "gov"), "--format", "github", "--today", "2026-11-23")
    assert "::error file=gov/registry/tools/bad tool.yaml," in github.stdout
    as_json = json.loads(govlint("check", str(top / "gov"), "--format", "json", "--today", "2026-11-23").stdout)
    assert "registry/tools/bad tool.yaml" in {f["file"] for f in as_json["findings"]}  # JSON stays relative


# JSON.

def test_json_is_described_by_its_published_schema() -> None:
    passed = assert_valid_json(render(report(), "json"), "check-report")
    assert (passed["kind"], passed["version"], passed["today"], passed["strict"]) == ("govlint-check", 1, "2026-11-23", False)
    assert passed["tool"]["name"] == "govlint" and passed["failed"] is True
    assert passed["approvals_checked"] is False
    assert {f["column"] for f in passed["findings"]} >= {1, 3, None}
    warnings_only = [f for f in FINDINGS if f.severity == "warning"]
    lenient = assert_valid_json(render(report(findings=warnings_only), "json"), "check-report")
    strict = assert_valid_json(render(report(findings=warnings_only, strict=True), "json"), "check-report")
    assert (lenient["failed"], strict["failed"]) == (False, True)
    assert_valid_json(render(hostile_report(), "json"), "check-report")


def test_json_keeps_record_text_exactly() -> None:
    document = json.loads(render(hostile_report(), "json"))
    assert document["findings"][0]["message"] == f"{HOSTILE} costs too much"


def test_column_of_a_policy_finding_comes_from_the_file(mini_repo: Any) -> None:
    mini_repo.tool("nosso", sso=False)
    result = govlint("check", str(mini_repo.root), "--format", "json", "--today", "2026-11-23")
    document = assert_valid_json(result.stdout, "check-report")
    finding = next(f for f in document["findings"] if f["rule"] == "MINI-SSO")
    assert (finding["line"], finding["column"]) == (4, 1)
    text = govlint("check", str(mini_repo.root), "--today", "2026-11-23").stdout
    assert "registry/tools/nosso.yaml:4:1: MINI-SSO error tool has no SSO" in text.splitlines()


# Markdown.

def test_markdown_neutralises_links_mentions_html_and_tables() -> None:
    text = render(hostile_report(), "markdown")
    assert_inert_markdown(text)
    html = rendered_markdown(text)
    # The message stays in its own cell: the table has six columns on every row.
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "<td" in row]
    assert len(rows) == 3
    for row in rows:
        assert row.count("<td") == 6
    assert "[l](https\u200d://evil.example)" in html  # shown as written, not linked


def test_markdown_does_not_double_escape_backticks() -> None:
    html = rendered_markdown(inline("use `govlint explain` & <b>"))
    assert "use `govlint explain` &amp; &lt;b&gt;" in html
    assert "\\`" not in html and "&amp;lt;" not in html


def test_markdown_stays_under_the_comment_limit() -> None:
    many = [
        Finding("TOOL-SPEND", "error", f"tool/t-{i}", f"registry/tools/t-{i}.yaml", 5, "x" * 120, "contract")
        for i in range(1000)
    ]
    text = render(Report(many, RULES, 1000), "markdown")
    assert len(text) < LIMIT
    assert "more not shown" in text
    assert text.count("| error |") < 1000


def test_markdown_says_how_it_was_judged() -> None:
    text = render(report(), "markdown")
    assert "Judged as of 2026-11-23. Approvals not checked (no --approvals)." in text


# The decision brief.

def hostile_decision(number: int, size: int = 0) -> Decision:
    finding = Finding("TOOL-SPEND", "error", f"tool/t{number}", f"registry/tools/t{number}.yaml", 3, HOSTILE)
    return Decision(f"tool/t{number}", "adopt tool", f"Adopt {HOSTILE} {'😀' * size}",
                    (("Owner", HOSTILE),), findings=(finding,))


def test_the_brief_is_inert_markdown() -> None:
    assert_inert_markdown(render_markdown([hostile_decision(1), hostile_decision(2)]))


def test_the_brief_fits_the_comment_limit_by_itself_in_whole_decisions() -> None:
    decisions = [hostile_decision(i, size=300) for i in range(400)]
    text = render_markdown(decisions)
    assert COMMENT_LIMIT == 65_536
    # With the marker the comment workflow puts above it, still within GitHub's limit; an
    # emoji counts twice, as GitHub counts.
    assert len(("<!-- govlint-decision-brief -->\n" + text).encode("utf-16-le")) // 2 <= 65_536
    assert comment_length(text) > 60_000  # and it uses the room it has
    shown = len(re.findall(r"^### \d+\. ", text, re.M))
    assert 0 < shown < 400
    assert f"... and {400 - shown} more decisions left out" in text
    assert text.rstrip().splitlines()[-2] == ""  # the last decision shown is whole


def test_the_brief_json_is_described_by_its_published_schema() -> None:
    document = assert_valid_json(render_json([hostile_decision(1)], report()), "decisions")
    assert (document["kind"], document["version"], document["today"]) == ("govlint-decisions", 3, "2026-11-23")


# Fuzz: hostile records, file names and options through every format, by the command line.

from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FRAGMENTS = [
    "\r\n", "\n", "\r", "::error::", "::error file=a,line=1::", "::add-mask::x", "%0A", "\x1b[2J", "\x1b]8;;http://x\x07",
    "\u202e", "\u2066", "\u2028", "\x85", "\x00", "\x07", "\x7f", "\ufeff", "[l](http://x)", "![i](https://x/i.png)",
    "<http://x>", "https://evil.example", "www.evil.example", "@octocat", "@org/team", "a@b.example", "<script>",
    "<!--", "&lt;", "|", "`", "``code``", "\\", "#1", "$x$", "*", "_", "]]>", '"', "'", ":", ",", "%", "😀", " ",
]
HOSTILE_TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(exclude_categories=("Cs",)), max_size=4)),
    min_size=1, max_size=8,
).map("".join)
# A file name holds anything but "/" and NUL (and a file system's own limits).
FILE_NAME = st.lists(
    st.one_of(st.sampled_from([" ", "%", "<", "|", "::error::", "\n", "#", "`", "[x](y)", "@team", "\u202e", "é"]),
              st.text(st.characters(codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs",)), max_size=3)),
    min_size=1, max_size=5,
).map("".join).filter(lambda name: name not in (".", "..") and len(name.encode()) < 200)

ECHO_POLICY = """# METADATA
# title: Names are echoed
# description: Repeats each tool's name, as real rules do in their messages.
# custom:
#   id: MINI-ECHO
#   severity: warning
package govlint.rules.mini_echo

warn contains f if {
	some id, tool in input.registry.tools
	f := {"rule": "MINI-ECHO", "entity": sprintf("tool/%s", [id]), "message": sprintf("tool %s is named %s", [id, tool.name]), "path": "name"}
}
"""
def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable characters as they are, the rest as
    escapes, so every character of it (controls, NEL, separators, astral ones) arrives intact."""
    shown = []
    for char in text:
        code = ord(char)
        if char in '"\\' or code < 0x20 or 0x7F <= code <= 0xA0 or code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF:
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            shown.append(char)
    return '"' + "".join(shown) + '"'


COMMAND = re.compile(r"^::(error|warning|notice) ((file|line|col|title)=[^,:\r\n]*)(,(file|line|col|title)=[^,:\r\n]*)*::")


def assert_format_holds(format_name: str, output: str, name: str) -> None:
    """The checks the format's consumer makes, and that no record text left its field."""
    assert "\x1b" not in output and "\u202e" not in output and "\r" not in output
    if format_name in ("text", "github"):
        for line in output.splitlines():
            assert not line.startswith("::") or (format_name == "github" and COMMAND.match(line)), line
    elif format_name == "json":
        document = assert_valid_json(output, "check-report")
        assert any(f["message"].endswith(f"is named {name}") for f in document["findings"])
    elif format_name == "sarif":
        assert_valid_sarif(output)
    elif format_name == "junit":
        assert_valid_junit(output)
    elif format_name == "markdown":
        assert_inert_markdown(output)


# Every example runs the check six times; shrinking a failure would take minutes, and the
# failing example is printed whole anyway.
@settings(
    max_examples=16, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(name=HOSTILE, file_name="a b 100% <x>|y ::error::\n\u202e", strict=False, today="2026-11-23")
@given(
    name=HOSTILE_TEXT,
    file_name=FILE_NAME,
    strict=st.booleans(),
    today=st.sampled_from(["2026-11-23", "1999-12-31", "not-a-date", "2026-02-30"]),
)
def test_hostile_records_stay_in_their_fields_in_every_format(
    tmp_path_factory: pytest.TempPathFactory, name: str, file_name: str, strict: bool, today: str
) -> None:
    from conftest import MINI_POLICY, MINI_SCHEMA

    root = tmp_path_factory.mktemp("hostile")
    write(root / "schemas" / "tool.schema.json", json.dumps(MINI_SCHEMA))
    write(root / "policies" / "mini_sso.rego", MINI_POLICY)
    write(root / "policies" / "mini_echo.rego", ECHO_POLICY)
    write(root / "registry" / "tools" / "evil.yaml", f"kind: tool\nid: evil\nname: {yaml_quoted(name)}\nsso: false\n")
    write(root / "registry" / "tools" / f"{file_name}.yaml", f"kind: tool\nid: other\nname: {yaml_quoted(name)}\n")
    options = ["--today", today] + (["--strict"] if strict else [])
    for format_name in FORMAT_NAMES:
        result = govlint("check", str(root), "--format", format_name, *options)
        assert "Traceback" not in result.stderr
        if today in ("not-a-date", "2026-02-30"):
            assert result.exit_code == 2 and result.stdout == ""
            assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("govlint: error: ")
            return
        assert result.exit_code == 1, result.stderr  # evil has no SSO
        assert_format_holds(format_name, result.stdout, name)


def test_columns_of_nested_fields(tmp_path: Path) -> None:
    from conftest import copy_reference

    root = copy_reference(tmp_path / "repo")
    bastion = root / "registry" / "tools" / "bastion-endpoint.yaml"
    bastion.write_text(bastion.read_text().replace("\n  sso: true\n", "\n  sso: 'maybe'\n"))
    billing = root / "registry" / "tools" / "briefly-ebilling.yaml"
    billing.write_text(billing.read_text().replace("\n  sso: true\n", "\n  sso: false\n"))
    result = govlint("check", str(root), "--format", "json", "--today", "2026-11-22")
    document = assert_valid_json(result.stdout, "check-report")
    placed = {(f["file"], f["rule"]): (f["line"], f["column"]) for f in document["findings"]}
    assert placed[("registry/tools/bastion-endpoint.yaml", "SCHEMA")] == (19, 3)
    assert placed[("registry/tools/briefly-ebilling.yaml", "TOOL-DATA-CONTROLS")] == (26, 3)


def test_change_mode_says_when_approvals_were_not_checked(mini_repo: Any) -> None:
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    mini_repo.tool("fresh", sso=False)
    commit_all(mini_repo.root, "a tool without SSO")
    for format_name in ("text", "github"):
        result = govlint("check", str(mini_repo.root), "--base", "HEAD~1", "--format", format_name, "--today", "2026-11-23")
        assert "govlint: approvals not checked (no --approvals)" in result.stdout.splitlines(), result.stdout
    approvals = write(mini_repo.root.parent / "approvals.json", "[]")
    result = govlint("check", str(mini_repo.root), "--base", "HEAD~1", "--format", "json", "--today", "2026-11-23",
                     "--approvals", str(approvals))
    assert assert_valid_json(result.stdout, "check-report")["approvals_checked"] is True
    result = govlint("check", str(mini_repo.root), "--base", "HEAD~1", "--format", "markdown", "--today", "2026-11-23")
    assert "Approvals not checked (no --approvals)." in result.stdout


def test_no_text_line_starts_a_workflow_command_even_from_a_file_name() -> None:
    finding = Finding("REGISTRY-LAYOUT", "error", None, "::error::x.yaml", 1, "odd name")
    text = render(Report([finding], RULES), "text")
    assert "./::error::x.yaml:1: REGISTRY-LAYOUT error odd name" in text.splitlines()


@settings(
    max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(name=HOSTILE, login="@octocat\r\n[l](https://evil.example)")
@given(name=HOSTILE_TEXT, login=HOSTILE_TEXT)
def test_hostile_records_stay_in_their_fields_in_the_brief(
    tmp_path_factory: pytest.TempPathFactory, name: str, login: str
) -> None:
    from conftest import MINI_POLICY, MINI_SCHEMA

    root = tmp_path_factory.mktemp("brief")
    write(root / "schemas" / "tool.schema.json", json.dumps(MINI_SCHEMA))
    write(root / "policies" / "mini_sso.rego", MINI_POLICY)
    write(root / "policies" / "mini_echo.rego", ECHO_POLICY)
    git_init(root)
    commit_all(root, "base")
    write(root / "registry" / "tools" / "evil.yaml", f"kind: tool\nid: evil\nname: {yaml_quoted(name)}\nsso: false\n")
    commit_all(root, "a hostile proposal")
    approvals = write(root.parent / f"{root.name}-approvals.json", json.dumps([{"by": login}]))
    for format_name in ("markdown", "json"):
        result = govlint("decisions", str(root), "--base", "HEAD~1", "--today", "2026-11-23",
                         "--format", format_name, "--approvals", str(approvals))
        assert "Traceback" not in result.stderr, result.stderr
        if not login or not login.isprintable():
            # No GitHub login is empty or holds a control character or a lone surrogate: refused, one line.
            assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
            assert "approvals file" in result.stderr and result.stdout == ""
            continue
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\r" not in result.stdout
        if format_name == "json":
            document = assert_valid_json(result.stdout, "decisions")
            assert any(f["message"].endswith(f"is named {name}") for d in document["decisions"] for f in d["findings"])
        else:
            assert_inert_markdown(result.stdout)


def test_annotations_of_a_pull_request_start_with_the_files_it_changed(mini_repo: Any) -> None:
    for number in range(12):
        mini_repo.tool(f"a{number:02}", sso=False)
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base with twelve tools lacking SSO")
    mini_repo.tool("zz", sso=False)
    commit_all(mini_repo.root, "one more")
    # The base's twelve are existing debt: --fail-on existing keeps them errors, so all 13 compete.
    result = govlint("check", str(mini_repo.root), "--base", "HEAD~1", "--format", "github", "--today", "2026-11-23",
                     "--fail-on", "existing")
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert errors[0].startswith("::error file=registry/tools/zz.yaml,line=4,col=1,")
    assert len(errors) == ANNOTATIONS_PER_LEVEL
    assert any(line.startswith("::notice title=govlint::3 more findings") for line in result.stdout.splitlines())


@pytest.mark.parametrize("format_name", ["text", "markdown", "github"])
def test_waived_findings_are_counted_and_listed_only_with_show_waived(format_name: str) -> None:
    hidden = render(report(), format_name)
    assert "lacks SCIM" not in hidden
    assert "1 waived" in hidden
    assert "waived finding not listed (--show-waived lists them)" in hidden
    shown = render(report(show_waived=True), format_name)
    assert "lacks SCIM" in shown
    assert "--show-waived" not in shown


@pytest.mark.parametrize("format_name", ["json", "sarif", "junit"])
def test_machine_formats_are_the_same_with_or_without_show_waived(format_name: str) -> None:
    assert render(report(), format_name) == render(report(show_waived=True), format_name)
    if format_name == "json":
        assert "lacks SCIM" in render(report(), format_name)
