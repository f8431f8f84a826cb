"""The rule sets in force over time (LEGAL.md "Which law applies"); a dossier keeps the one in force at receipt."""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str
    valid_from: date
    # After a complete supplement: resume the remaining time (False) or restart the full limit (True).
    # LEGAL.md "Supplement once": some newer rules restart the full limit, so it is a per-rule-set choice.
    supplement_restarts_clock: bool
    # Hour after which a desk intake is passed to the processing agency the next working day (LEGAL "15:00 cut-off").
    cutoff_hour: int = 15


RULE_SETS = (
    RuleSet("qd09_2015", "QĐ 09/2015/QĐ-TTg", date(2015, 5, 1), supplement_restarts_clock=False),
    RuleSet("nd61_2018", "Nghị định 61/2018/NĐ-CP, Thông tư 01/2018/TT-VPCP", date(2018, 6, 21),
            supplement_restarts_clock=False),
    # Unverified whether Decree 118/2025 art. 11 restarts the limit; until checked, the time spent supplementing
    # is excluded (remaining time resumes), as under Decree 61/2018. Flip the flag here once confirmed.
    RuleSet("nd118_2025", "Nghị định 118/2025/NĐ-CP, Thông tư 03/2025/TT-VPCP", date(2025, 7, 1),
            supplement_restarts_clock=False),
)
BY_CODE = {r.code: r for r in RULE_SETS}


def rule_set_on(day: date) -> RuleSet:
    """The rule set in force on `day` (the newest whose validity has begun)."""
    current = RULE_SETS[0]
    for rules in RULE_SETS:
        if rules.valid_from <= day:
            current = rules
    return current
