"""The fixed vocabulary shared by facts, rulebook and outcome (the command-line contract).

Rules in the rulebook may test the *input variables* below and the *decisions*; the rulebook
decides the decisions. Adding a variable or a decision is a code change, because the contract
of ``vern assess`` names them.
"""

from __future__ import annotations

from typing import Final

Value = bool | str | None

FACTOR_NAMES: Final[tuple[str, ...]] = (
    "great_danger",
    "threat_picture_unclear",
    "needs_information_only_police_have",
    "needs_police_or_court_safety_measures",
    "needs_relocation_for_safety",
    "user_wants_to_report",
    "user_consents",
    "user_informed_about_public_prosecution",
    "duty_to_avert",
)

RISK_VALUES: Final[tuple[str, ...]] = ("yes", "no", "unknown")
CONSENT_FORMS: Final[tuple[str, ...]] = ("written", "verbal")

# Facts outside the nine factors (contract v2): optional booleans at the top level of the facts.
# danger_to_life_or_health: sharing is necessary to prevent substantial danger to life or
# serious harm to health (krisesenterlova § 5 second paragraph, L1); child_welfare_concern:
# there is reason to believe an accompanying child is mistreated or seriously neglected, or
# another ground of barnevernsloven § 13-2 holds (krisesenterlova § 6, B1).
EXTRA_FACT_NAMES: Final[tuple[str, ...]] = ("danger_to_life_or_health", "child_welfare_concern")

# The lawful grounds for telling the police without consent, in the contract's order
# (``no_consent_grounds``): the duty to avert (straffeloven § 196, L2) and the danger ground
# (krisesenterlova § 5 second paragraph, L1).
NO_CONSENT_GROUNDS: Final[tuple[str, ...]] = ("duty_to_avert", "danger_to_life_or_health")

# Derived from the suspected offences and the offence table on the assessment date.
OFFENCE_CLASSES: Final[tuple[str, ...]] = (
    "none",
    "all_within_two_year_line",
    "some_above_two_year_line",
)

INPUT_VARIABLES: Final[dict[str, tuple[Value, ...]]] = {
    **dict.fromkeys(FACTOR_NAMES, (True, False)),
    **dict.fromkeys(EXTRA_FACT_NAMES, (True, False)),
    "risk_of_new_serious_violence": RISK_VALUES,
    "consent_form": (*CONSENT_FORMS, "none"),
    "suspected_offences": OFFENCE_CLASSES,
    "suspected_offence_in_196_list": (True, False),
}

NEXT_STEPS: Final[tuple[str, ...]] = (
    "contact_police_under_duty_to_avert",
    "contact_police_to_prevent_danger",
    "inform_about_public_prosecution",
    "obtain_consent",
    "contact_police",
    "complete_risk_mapping",
    "no_police_contact",
)

INVOLVEMENT_VALUES: Final[tuple[str, ...]] = ("required", "recommended", "not_indicated")

DECISIONS: Final[dict[str, tuple[Value, ...]]] = {
    "police_involvement": INVOLVEMENT_VALUES,
    "consent_needed": (True, False),
    "next_step": NEXT_STEPS,
    "victim_wish_given_weight": (True, False, None),
}
