"""Service codes of imported listings: codes as given, labels mapped back to codes.

The federal locator's JSON and HSDS packages name services by label. Labels map to the
taxonomy's codes by an exact (case- and punctuation-insensitive) match or through the small
alias table below, which holds the federal wording of common labels. A label that matches
nothing is kept as an "other" service whose code is derived from the label.
"""

from __future__ import annotations

import hashlib

from locator.geo import name_key, slugify
from locator.taxonomy import Taxonomy, unknown_label

CODE_WIDTH = 16  # Service.code

# The federal locator's wording → our code.
FEDERAL_LABELS: dict[str, str] = {
    "substance use treatment": "SA",
    "detoxification": "DT",
    "detox": "DT",
    "transitional housing halfway house or sober home": "HH",
    "mental health treatment": "MH",
    "treatment for co occurring substance use plus either serious mental health illness in "
    "adults serious emotional disturbance in children": "SUMH",
    "telemedicine telehealth therapy": "TELE",
    "hospital inpatient": "HI",
    "hospital inpatient detoxification": "HID",
    "residential 24 hour residential": "RES",
    "residential detoxification": "RD",
    "short term residential": "RS",
    "long term residential": "RL",
    "outpatient": "OP",
    "outpatient detoxification": "OD",
    "outpatient day treatment or partial hospitalization": "ODT",
    "intensive outpatient treatment": "OIT",
    "regular outpatient treatment": "ORT",
    "outpatient methadone buprenorphine or naltrexone treatment": "OMB",
    "sa facilities certified as an opioid treatment program": "OTP",
    "opioid treatment program": "OTP",
    "buprenorphine used in treatment": "BU",
    "naltrexone used in treatment": "NU",
    "methadone used in treatment": "MU",
    "acamprosate campral": "ACM",
    "disulfiram antabuse": "DSF",
    "cash or self payment": "SF",
    "self payment": "SF",
    "medicaid": "MD",
    "medicare": "MC",
    "private health insurance": "PI",
    "military insurance e g tricare": "MI",
    "state financed health insurance plan other than medicaid": "SI",
    "ihs tribal urban itu funds": "ITU",
    "federal or any government funding for substance use treatment programs": "FSA",
    "no payment accepted": "NP",
    "payment assistance check with facility for details": "PA",
    "sliding fee scale fee is based on income and other factors": "SS",
    "sliding fee scale": "SS",
    "adolescents": "CHLD",
    "young adults": "YAD",
    "adults": "ADLT",
    "seniors": "SNR",
    "female": "FEM",
    "male": "MALE",
    "veterans": "VET",
    "active duty military": "ADM",
    "members of military families": "MF",
    "pregnant postpartum women": "PW",
    "lesbian gay bisexual or transgender lgbt clients": "GL",
    "clients referred from the court judicial system": "CJ",
    "persons who have experienced trauma": "TRMA",
    "persons with hiv or aids": "HV",
    "spanish": "SP",
    "sign language services for the deaf and hard of hearing": "AH",
}


class ServiceMapper:
    """Turns codes or labels of one import into codes, remembering labels of new codes."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.by_label = {name_key(s.label): s.code for s in taxonomy.services.values()}
        self.by_label.update(FEDERAL_LABELS)
        self.raw_codes: dict[str, tuple[str, str | None]] = {}
        # HSDS: keep only services with one of these taxonomy terms (name keys); None: all.
        self.wanted_terms: frozenset[str] | None = None

    def code(self, text: str) -> tuple[str, str | None]:
        """A code for a code or label: (code, label for an "other" code, else None)."""
        text = text.strip()
        upper = text.upper()
        if upper in self.taxonomy.services:
            return upper, None
        found = self.by_label.get(name_key(text))
        if found is not None:
            return found, None
        return other_code(text), text[:200]

    def raw_code(self, text: str) -> tuple[str, str | None]:
        """A code given as a code: known, or kept as "other" under its own name."""
        found = self.raw_codes.get(text)
        if found is None:
            code = text.strip().upper()[:CODE_WIDTH]
            label = None if code in self.taxonomy.services else unknown_label(code)
            found = self.raw_codes[text] = (code, label)
        return found


def other_code(label: str) -> str:
    """`X-` and the label's slug in capitals, cut to fit the code column with a short hash."""
    slug = slugify(label).upper() or "UNNAMED"
    code = f"X-{slug}"
    if len(code) <= CODE_WIDTH:
        return code
    digest = hashlib.sha256(slug.encode()).hexdigest()[:4].upper()
    return f"X-{slug[: CODE_WIDTH - 7].rstrip('-')}-{digest}"
