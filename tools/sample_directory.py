"""Generate the SAMPLE treatment directory: plainly fictitious centers for demos and tests.

Every center is made up.  Names end in "(Sample)", phone numbers use the reserved
555-0100..555-0199 range, and websites live under example.org.  Centers are spread over
the 50 states, DC and Puerto Rico in proportion to the 2020 census population and placed
within 2 miles of a real ZIP code centroid so that distance searches behave realistically.

Run ``python -m tools.sample_directory [--count N] [--seed S] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from random import Random

import us
import zipcodes

from locator.importers.own_csv import COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "sample_directory.csv"
TAXONOMY_CSV = REPO_ROOT / "data" / "taxonomy.csv"

DEFAULT_COUNT = 5000
DEFAULT_SEED = 20261121
MIN_PER_AREA = 3
MAX_JITTER_MILES = 2.0
MILES_PER_DEGREE_LAT = 69.09  # mean Earth radius 3958.8 mi * pi / 180

# Resident population on April 1, 2020.
# Source: U.S. Census Bureau, 2020 Census apportionment results, resident population
# of the 50 states, the District of Columbia and Puerto Rico (the 51 figures excluding
# Puerto Rico add up to the U.S. resident population, 331,449,281).
POPULATION_2020: dict[str, int] = {
    "AL": 5024279,
    "AK": 733391,
    "AZ": 7151502,
    "AR": 3011524,
    "CA": 39538223,
    "CO": 5773714,
    "CT": 3605944,
    "DE": 989948,
    "DC": 689545,
    "FL": 21538187,
    "GA": 10711908,
    "HI": 1455271,
    "ID": 1839106,
    "IL": 12812508,
    "IN": 6785528,
    "IA": 3190369,
    "KS": 2937880,
    "KY": 4505836,
    "LA": 4657757,
    "ME": 1362359,
    "MD": 6177224,
    "MA": 7029917,
    "MI": 10077331,
    "MN": 5706494,
    "MS": 2961279,
    "MO": 6154913,
    "MT": 1084225,
    "NE": 1961504,
    "NV": 3104614,
    "NH": 1377529,
    "NJ": 9288994,
    "NM": 2117522,
    "NY": 20201249,
    "NC": 10439388,
    "ND": 779094,
    "OH": 11799448,
    "OK": 3959353,
    "OR": 4237256,
    "PA": 13002700,
    "RI": 1097379,
    "SC": 5118425,
    "SD": 886667,
    "TN": 6910840,
    "TX": 29145505,
    "UT": 3271616,
    "VT": 643077,
    "VA": 8631393,
    "WA": 7705281,
    "WV": 1793716,
    "WI": 5893718,
    "WY": 576851,
    "PR": 3285874,
}

# Every service code this module can write; all of them are rows of data/taxonomy.csv.
# Codes are emitted in this order, which follows the taxonomy's display order.
SERVICE_CODES: tuple[str, ...] = (
    "SA", "DT", "HH", "SUMH", "MH", "TELE",
    "HI", "HID", "HIT", "RES", "RD", "RS", "RL", "OP", "OD", "ODT", "OIT", "ORT", "OMB",
    "OTP", "METH", "BU", "BWN", "BERI", "NU", "NXN", "VTRL", "MOA", "NMOA", "NOE",
    "ACM", "DSF",
    "SF", "MD", "MC", "PI", "MI", "SI", "ITU", "FSA", "NP",
    "PA", "SS",
    "CHLD", "YAD", "ADLT", "SNR", "FEM", "MALE",
    "VET", "ADM", "MF", "PW", "WN", "MN", "TAY", "SE", "GL", "CJ", "DU", "TRMA", "DV", "XA",
    "HV", "CO", "COPSU",
    "SP", "AH", "F4", "F17", "F19", "F28", "F36", "F47", "F66", "F67", "F70", "F81", "F92",
    "N24", "N40",
)  # fmt: skip
_CODE_ORDER: dict[str, int] = {code: i for i, code in enumerate(SERVICE_CODES)}

# Areas where Spanish-language services are much more common in the sample.
SPANISH_HEAVY = frozenset({"TX", "CA", "FL", "NM", "AZ", "NV", "NY", "NJ", "IL", "CO"})
SPANISH_RATE_HEAVY = 0.60
SPANISH_RATE_ELSEWHERE = 0.20

# Other languages: (code, relative weight); drawn rarely.
OTHER_LANGUAGES: tuple[tuple[str, int], ...] = (
    ("F17", 8),
    ("F92", 6),
    ("F81", 5),
    ("F47", 4),
    ("F70", 4),
    ("F28", 3),
    ("F19", 3),
    ("F4", 3),
    ("F36", 2),
    ("F67", 2),
    ("F66", 2),
)
_OTHER_LANGUAGE_CODES = tuple(code for code, _ in OTHER_LANGUAGES)
_OTHER_LANGUAGE_CUM = tuple(
    sum(weight for _, weight in OTHER_LANGUAGES[: i + 1]) for i in range(len(OTHER_LANGUAGES))
)
# Indigenous languages offered now and then where they are spoken.
REGIONAL_LANGUAGES: dict[str, str] = {"MN": "N24", "WI": "N24", "MI": "N24", "AK": "N40"}

# --- word lists for made-up names and addresses ---------------------------------------------

NAME_FIRST: tuple[str, ...] = (
    "Juniper", "Sorrel", "Larkspur", "Bluestem", "Wren", "Heron", "Kestrel", "Basalt",
    "Quartz", "Fennel", "Clover", "Thistle", "Yarrow", "Aster", "Tamarack", "Alder",
    "Linden", "Sumac", "Mulberry", "Cattail", "Foxglove", "Bramble", "Sparrow", "Finch",
    "Plover", "Otter", "Copper", "Slate", "Flint", "Amber", "Indigo", "Saffron",
    "Russet", "Ochre", "Cobalt", "Driftwood", "Pebble", "Lichen", "Fernleaf", "Prairie",
    "Bayberry", "Chicory", "Goldenrod", "Hawthorn", "Ironwood", "Lupine", "Marigold",
    "Nettle", "Poplar", "Quince", "Rushwood", "Spruce", "Teasel", "Upland", "Vetch",
    "Wildrye", "Zinnia", "Bittern", "Chickadee", "Dunlin", "Gannet", "Loon", "Nuthatch",
    "Tanager",
)  # fmt: skip
NAME_SECOND: tuple[str, ...] = (
    "Path", "Lantern", "Trellis", "Compass", "Footbridge", "Lookout", "Landing", "Crossing",
    "Hollow", "Commons", "Bend", "Knoll", "Terrace", "Orchard", "Hearth", "Anchor",
    "Porch", "Window", "Bridge", "Circle", "Current", "Field", "Loom", "Kettle",
    "Trail", "Quarry", "Steps", "Fence", "Well", "Shore", "Lane", "Ferry",
    "Mill", "Ledge", "Cove", "Tide", "Rise", "Grange", "Row", "Yard",
)  # fmt: skip
KIND_SUBSTANCE_USE: tuple[str, ...] = (
    "Recovery Center", "Treatment Center", "Recovery Services", "Addiction Services",
    "Treatment Services", "Recovery Clinic", "Outpatient Clinic", "Health Center",
    "Community Clinic", "Recovery Program",
)  # fmt: skip
KIND_RESIDENTIAL: tuple[str, ...] = (
    "Recovery House", "Recovery Residence", "Residential Center", "Recovery Lodge",
    "Treatment Campus", "Recovery Center", "Treatment Center",
)  # fmt: skip
KIND_BOTH: tuple[str, ...] = (
    "Behavioral Health", "Counseling Center", "Wellness Center", "Health Services",
    "Family Services", "Counseling Associates", "Recovery and Wellness", "Care Collective",
)  # fmt: skip
KIND_MENTAL_HEALTH: tuple[str, ...] = (
    "Counseling Center", "Mental Health Clinic", "Wellness Clinic", "Behavioral Health",
    "Counseling Associates", "Family Counseling",
)  # fmt: skip

STREET_NAMES: tuple[str, ...] = (
    "Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
    "Church", "Walnut", "Spring", "Center", "North", "Ridge", "Mill", "Sunset", "Highland",
    "Jackson", "Lincoln", "Franklin", "River", "Chestnut", "Cherry", "Willow", "Meadow",
    "Forest", "Jefferson", "Madison", "Poplar", "Hickory", "Birch", "Dogwood", "Market",
    "School", "Railroad", "Union", "Water", "Locust", "Adams", "Grant", "Spruce", "Laurel",
    "2nd", "3rd", "4th", "5th", "6th", "7th",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = (
    "St", "St", "Ave", "Ave", "Rd", "Rd", "Blvd", "Dr", "Ln", "Way", "Ct", "Pkwy", "Pl",
)  # fmt: skip
PR_STREET_NAMES: tuple[str, ...] = (
    "Luna", "Sol", "Palma", "Ceiba", "Flamboyán", "Marina", "Estrella", "Progreso",
    "Amapola", "Rosario", "Jazmín", "Tulipán", "Comercio", "Central", "Acacia", "Girasol",
)  # fmt: skip


def _allocate(count: int, population: Mapping[str, int], minimum: int) -> dict[str, int]:
    """Split count over areas by population, each at least minimum, by largest remainder."""
    areas = sorted(population)
    if count <= 0 or not areas:
        return {area: 0 for area in areas}
    minimum = min(minimum, count // len(areas))
    pinned: dict[str, int] = {}
    while True:
        free = [a for a in areas if a not in pinned]
        budget = count - sum(pinned.values())
        total = sum(population[a] for a in free)
        quotas = {a: budget * population[a] / total for a in free}
        below = [a for a in free if quotas[a] < minimum]
        if not below:
            break
        for area in below:
            pinned[area] = minimum
    shares = {a: int(q) for a, q in quotas.items()}
    leftover = budget - sum(shares.values())
    by_remainder = sorted(free, key=lambda a: (-(quotas[a] - shares[a]), -population[a], a))
    for area in by_remainder[:leftover]:
        shares[area] += 1
    shares.update(pinned)
    return {area: shares[area] for area in areas}


def _areas() -> dict[str, int]:
    """Return {abbreviation: 2020 population} for the 50 states, DC and Puerto Rico."""
    abbrs = {s.abbr for s in us.states.STATES_AND_TERRITORIES if not s.is_territory}
    abbrs.add(us.states.PR.abbr)
    missing = abbrs.symmetric_difference(POPULATION_2020)
    if missing:
        raise RuntimeError(f"area list and population table disagree: {sorted(missing)}")
    return {abbr: POPULATION_2020[abbr] for abbr in sorted(abbrs)}


# (zip, city, state, county, area_code, lat, lon)
_Zip = tuple[str, str, str, str, str, float, float]


def _zip_pools(states: Iterable[str]) -> dict[str, list[_Zip]]:
    """Return compact ZIP records per state, sorted by ZIP; standard delivery ZIPs preferred."""
    wanted = set(states)
    preferred: dict[str, list[_Zip]] = {s: [] for s in wanted}
    fallback: dict[str, list[_Zip]] = {s: [] for s in wanted}
    for rec in zipcodes.list_all():
        state = rec["state"]
        if state not in wanted:
            continue
        try:
            lat, lon = float(rec["lat"]), float(rec["long"])
        except (TypeError, ValueError):
            continue
        if lat == 0.0 and lon == 0.0:
            continue
        area_codes = rec.get("area_codes") or []
        item: _Zip = (
            rec["zip_code"],
            rec["city"],
            state,
            rec.get("county") or "",
            area_codes[0] if area_codes else "555",
            lat,
            lon,
        )
        fallback[state].append(item)
        if rec["zip_code_type"] == "STANDARD" and rec.get("active", True) and item[3]:
            preferred[state].append(item)
    pools: dict[str, list[_Zip]] = {}
    for state in sorted(wanted):
        pool = preferred[state] or fallback[state]
        if not pool:
            raise RuntimeError(f"no ZIP codes with coordinates for {state}")
        pools[state] = sorted(pool)
    return pools


def _jitter(rng: Random, lat: float, lon: float) -> tuple[float, float]:
    """Move a point a uniform 0-2 miles in a uniform random direction."""
    miles = rng.uniform(0.0, MAX_JITTER_MILES)
    bearing = rng.uniform(0.0, 2.0 * math.pi)
    dlat = miles * math.cos(bearing) / MILES_PER_DEGREE_LAT
    coslat = max(math.cos(math.radians(lat)), 0.01)
    dlon = miles * math.sin(bearing) / (MILES_PER_DEGREE_LAT * coslat)
    return lat + dlat, lon + dlon


def _phone(rng: Random, area_code: str) -> str:
    """Return a fictitious phone number in the reserved 555-0100..555-0199 range."""
    return f"({area_code}) 555-01{rng.randrange(100):02d}"


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """Lowercase hyphenated slug, at most 63 characters (one DNS label)."""
    slug = _SLUG_RE.sub("-", text.lower()).strip("-")
    if len(slug) > 63:
        slug = slug[:63].rsplit("-", 1)[0]
    return slug


def _facility_type(rng: Random) -> str:
    """Draw substance_use (~70%), both (~25%) or mental_health (~5%)."""
    r = rng.random()
    if r < 0.70:
        return "substance_use"
    if r < 0.95:
        return "both"
    return "mental_health"


def _services(rng: Random, state: str, facility_type: str) -> list[str]:
    """Draw a coherent set of service codes for one center."""
    p = rng.random
    out: list[str] = []
    add = out.append
    treats_su = facility_type != "mental_health"

    # Type of care.
    if treats_su:
        add("SA")
    if facility_type != "substance_use":
        add("MH")
    co_occurring_rate = {"substance_use": 0.30, "both": 0.85, "mental_health": 0.40}
    co_occurring = p() < co_occurring_rate[facility_type]
    if co_occurring:
        add("SUMH")
    if p() < 0.40:
        add("TELE")
    if treats_su and p() < 0.08:
        add("HH")

    # Setting: outpatient only 75%, residential only 15%, both 5%, hospital 5%.
    r = p()
    hospital = r < 0.05
    residential = 0.05 <= r < 0.25
    outpatient = r >= 0.20 or (hospital and p() < 0.5)
    if hospital:
        add("HI")
        if p() < 0.9:
            add("HIT")
    if residential:
        add("RES")
        short, long_ = p() < 0.6, p() < 0.55
        if short or not long_:
            add("RS")
        if long_:
            add("RL")
    if outpatient:
        add("OP")
        regular, intensive, day = p() < 0.85, p() < 0.45, p() < 0.15
        if regular or not (intensive or day):
            add("ORT")
        if intensive:
            add("OIT")
        if day:
            add("ODT")

    # Detox, in a setting the center actually has.
    if treats_su:
        if hospital and p() < 0.6:
            add("HID")
        if residential and p() < 0.35:
            add("RD")
        if outpatient and p() < 0.07:
            add("OD")
        if "HID" in out or "RD" in out or "OD" in out:
            add("DT")

    # Medications for opioid use disorder and other pharmacotherapies.
    if treats_su:
        otp = outpatient and p() < 0.065
        bup = p() < (0.85 if otp else 0.34)
        nal = p() < (0.30 if otp else 0.26)
        if otp:
            add("OTP")
            add("METH")
        if bup:
            add("BU")
            if p() < 0.70:
                add("BWN")
            if p() < 0.25:
                add("BERI")
        if nal:
            add("NU")
            vivitrol, pills = p() < 0.60, p() < 0.50
            if vivitrol or not pills:
                add("VTRL")
            if pills:
                add("NXN")
        meds = otp or bup or nal
        if meds and outpatient and p() < 0.85:
            add("OMB")
        if p() < (0.60 if meds else 0.55):
            add("MOA")
        if not meds and p() < 0.60:
            add("NMOA")
        if p() < 0.45:
            add("NOE")
        if p() < (0.16 if meds else 0.05):
            add("ACM")
        if p() < (0.12 if meds else 0.04):
            add("DSF")

    # Payment.
    free = p() < 0.05
    if not free and p() < 0.947:
        add("SF")
    if p() < 0.65:
        add("MD")
    if p() < 0.40:
        add("MC")
    if p() < 0.70:
        add("PI")
    if p() < 0.25:
        add("MI")
    if p() < 0.20:
        add("SI")
    if p() < 0.04:
        add("ITU")
    if p() < 0.30:
        add("FSA")
    if free:
        add("NP")
    if p() < 0.25:
        add("PA")
    if not free and p() < 0.37:
        add("SS")

    # Ages and sexes served: 5% youth-only, 5% women-only, 5% men-only.
    youth_only = p() < 0.05
    if youth_only or p() < 0.105:
        add("CHLD")
    if p() < (0.30 if youth_only else 0.50):
        add("YAD")
    if not youth_only:
        add("ADLT")
        if p() < 0.45:
            add("SNR")
    r = p()
    women, men = r >= 0.05, r < 0.05 or r >= 0.10
    if women:
        add("FEM")
    if men:
        add("MALE")

    # Programs for specific groups.
    if p() < 0.20:
        add("VET")
    if p() < 0.08:
        add("ADM")
    if p() < 0.10:
        add("MF")
    if women and treats_su and p() < 0.20:
        add("PW")
    if women and p() < 0.25:
        add("WN")
    if men and p() < 0.22:
        add("MN")
    if p() < 0.15:
        add("TAY")
    if not youth_only and p() < 0.12:
        add("SE")
    if p() < 0.18:
        add("GL")
    if treats_su and p() < 0.40:
        add("CJ")
    if treats_su and p() < 0.20:
        add("DU")
    if p() < 0.45:
        add("TRMA")
    if p() < 0.20:
        add("DV")
    if p() < 0.18:
        add("XA")
    if p() < 0.10:
        add("HV")
    if co_occurring and p() < 0.70:
        add("CO")
    if treats_su and p() < 0.08:
        add("COPSU")

    # Languages.
    if state == "PR":
        spanish = True
    else:
        spanish = p() < (SPANISH_RATE_HEAVY if state in SPANISH_HEAVY else SPANISH_RATE_ELSEWHERE)
    if spanish:
        add("SP")
    if p() < 0.10:
        add("AH")
    if p() < 0.08:
        for _ in range(1 + (p() < 0.3)):
            code = rng.choices(_OTHER_LANGUAGE_CODES, cum_weights=_OTHER_LANGUAGE_CUM)[0]
            if code not in out:
                add(code)
    regional = REGIONAL_LANGUAGES.get(state)
    if regional and p() < 0.04:
        add(regional)

    out.sort(key=_CODE_ORDER.__getitem__)
    return out


def _name(rng: Random, facility_type: str, codes: list[str]) -> tuple[str, str]:
    """Return (name1, name2): a made-up name ending in "(Sample)" and an optional department."""
    if facility_type == "mental_health":
        kinds = KIND_MENTAL_HEALTH
    elif facility_type == "both":
        kinds = KIND_BOTH
    elif "RES" in codes and "OP" not in codes:
        kinds = KIND_RESIDENTIAL
    else:
        kinds = KIND_SUBSTANCE_USE
    name1 = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {rng.choice(kinds)} (Sample)"
    name2 = ""
    if rng.random() < 0.30:
        options = ["Main Office", "Adult Services", "North Office", "South Office"]
        if "OP" in codes:
            options += ["Outpatient Services", "Outpatient Services", "Counseling Services"]
        if "RES" in codes:
            options += ["Residential Program", "Residential Program"]
        if "DT" in codes:
            options.append("Withdrawal Management Unit")
        if "OTP" in codes or "OMB" in codes:
            options.append("Medication Clinic")
        if "CHLD" in codes:
            options.append("Youth and Family Services")
        if "WN" in codes:
            options.append("Women's Program")
        if "VET" in codes:
            options.append("Veterans Program")
        name2 = rng.choice(options)
    return name1, name2


def _street(rng: Random, state: str) -> tuple[str, str]:
    """Return a fictitious (street1, street2)."""
    number = rng.randrange(100, 9900)
    if state == "PR":
        street1 = f"{number} Calle {rng.choice(PR_STREET_NAMES)}"
    else:
        street1 = f"{number} {rng.choice(STREET_NAMES)} {rng.choice(STREET_SUFFIXES)}"
    street2 = ""
    r = rng.random()
    if r < 0.10:
        street2 = f"Suite {rng.randrange(1, 6)}{rng.randrange(0, 3)}{rng.randrange(0, 10)}"
    elif r < 0.13:
        street2 = f"Building {rng.choice('ABCD')}"
    elif r < 0.15:
        street2 = f"Floor {rng.randrange(2, 6)}"
    return street1, street2


_FIRST_VERIFIED = date(2025, 1, 1).toordinal()
_LAST_VERIFIED = date(2026, 10, 31).toordinal()


def generate_centers(
    count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED
) -> Iterator[dict[str, str]]:
    """Yield count fictitious centers as dicts keyed by COLUMNS, deterministic for (count, seed)."""
    rng = Random(seed)
    areas = _areas()
    allocation = _allocate(count, areas, MIN_PER_AREA)
    pools = _zip_pools(areas)
    width = max(5, len(str(count)))
    number = 0
    for state in sorted(allocation):
        pool = pools[state]
        for _ in range(allocation[state]):
            number += 1
            zip_code, city, st, county, area_code, zlat, zlon = rng.choice(pool)
            lat, lon = _jitter(rng, zlat, zlon)
            facility_type = _facility_type(rng)
            codes = _services(rng, state, facility_type)
            name1, name2 = _name(rng, facility_type, codes)
            street1, street2 = _street(rng, state)
            website = ""
            if rng.random() < 0.70:
                website = f"https://{_slug(name1.removesuffix(' (Sample)'))}.example.org/"
            intake1 = _phone(rng, area_code) if rng.random() < 0.40 else ""
            intake2 = _phone(rng, area_code) if intake1 and rng.random() < 0.12 else ""
            hotline = _phone(rng, area_code) if rng.random() < 0.08 else ""
            verified = date.fromordinal(rng.randint(_FIRST_VERIFIED, _LAST_VERIFIED))
            yield {
                "source": "sample",
                "source_id": f"S{number:0{width}d}",
                "name1": name1,
                "name2": name2,
                "street1": street1,
                "street2": street2,
                "city": city,
                "state": st,
                "zip": zip_code,
                "county": county,
                "phone": _phone(rng, area_code),
                "intake1": intake1,
                "intake2": intake2,
                "hotline": hotline,
                "website": website,
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "facility_type": facility_type,
                "services": " ".join(codes),
                "published": "1",
                "last_verified": verified.isoformat(),
            }


def write_csv(path: str | os.PathLike[str], rows: Iterable[Mapping[str, str]]) -> int:
    """Write rows as UTF-8 CSV with header COLUMNS and return the number of rows written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row[column] for column in COLUMNS])
            written += 1
    return written


def _taxonomy_codes(path: Path) -> set[str] | None:
    """Return the codes listed in taxonomy.csv, or None if the file is absent."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["code"] for row in csv.DictReader(fh)}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: generate the sample directory CSV."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.sample_directory",
        description="Generate the fictitious SAMPLE treatment directory as CSV.",
    )
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of centers")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV path")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    known = _taxonomy_codes(TAXONOMY_CSV)
    if known is not None:
        unknown = sorted(set(SERVICE_CODES) - known)
        if unknown:
            parser.error(f"codes missing from {TAXONOMY_CSV}: {' '.join(unknown)}")
    started = time.perf_counter()
    written = write_csv(args.out, generate_centers(args.count, args.seed))
    elapsed = time.perf_counter() - started
    print(f"wrote {written} sample centers to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
