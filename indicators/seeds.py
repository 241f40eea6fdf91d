"""Targets from the policy seeds (/work/shared/seeds, DOMAIN.md section 4), as data.

Each entry: (code, scope, {year: (baseline, target)}, note). ``scope`` is "*" for policy
ambitions expressed as a share, which any municipality may adopt as a starting point, or the CBS
code of the municipality whose plan set the figure (counts only make sense there).
``load_indicator_targets`` carries the last year's figures forward to later years.
"""

from __future__ import annotations

from decimal import Decimal as D

HILVERSUM = "GM0402"
GRONINGEN = "GM0014"
DEN_BOSCH = "GM0796"
AMERSFOORT = "GM0307"

SEED_TARGETS: list[tuple[str, str, dict[int, tuple[D | None, D | None]], str]] = [
    (
        "outflow.to_work",
        HILVERSUM,
        {2019: (D(214), D(267))},
        "Hilversum, Focus op werk: referentie 214 (2017), streefwaarde 267 per jaar (+25%)",
    ),
    (
        "outflow.regular_work",
        GRONINGEN,
        {2019: (None, D(1100)), 2020: (None, D(1200))},
        "Groningen, begroting 2020",
    ),
    (
        "outflow.pct_caseload",
        "*",
        {2019: (None, D(28))},
        "'s-Hertogenbosch: 28% van het uitkeringenbestand stroomt uit",
    ),
    (
        "caseload.parttime_share",
        "*",
        {2019: (D("12.8"), D("14.0"))},
        "'s-Hertogenbosch: nulmeting 12,8%, ambitie 14,0%",
    ),
    (
        "caseload.parttime_count",
        GRONINGEN,
        {2020: (None, D(350))},
        "Groningen, begroting 2020: personen met een uitkering en parttime inkomsten uit arbeid; "
        "2019 'stijging', 2020: 350",
    ),
    (
        "support.working_with_support",
        DEN_BOSCH,
        {2019: (D(0), D(300))},
        "'s-Hertogenbosch: nulmeting 0, ambitie 300",
    ),
    (
        "group3.participation",
        "*",
        {2019: (D(0), D(25))},
        "'s-Hertogenbosch: nulmeting 0%, ambitie 25%",
    ),
    (
        "beschut.quota",
        GRONINGEN,
        {2019: (None, D(90)), 2020: (D(90), D(119)), 2021: (D(119), D(138))},
        "Groningen: quotum nieuw beschut",
    ),
    (
        "wsw.detachering",
        GRONINGEN,
        {2019: (None, D(600)), 2020: (None, D(585))},
        "Groningen: verwachte daling Wsw",
    ),
    (
        "wsw.begeleid_werken",
        GRONINGEN,
        {2019: (None, D(105)), 2020: (None, D(90))},
        "Groningen: verwachte daling Wsw",
    ),
    (
        "contact.in_beeld",
        "*",
        {2020: (D(74), D(82)), 2021: (D(74), D(90))},
        "Groningen (Kansen in Kaart): 74% (2019), 82% (2020), 90% (2021)",
    ),
    (
        "prevention.inflow_per_application",
        "*",
        {2019: (None, D(45))},
        "'s-Hertogenbosch: 45% instroom t.o.v. aanmeldingen bij verhoogd risico",
    ),
    (
        "prevention.prevented_vs_inflow",
        "*",
        {2018: (D(40), D(35))},
        "Amersfoort: % voorkomen uitkeringen door preventie t.o.v. de instroom",
    ),
    (
        "enforcement.fraud_effect",
        "*",
        {2019: (None, D(35))},
        "'s-Hertogenbosch: 35% leidt tot beëindiging of aanpassing",
    ),
    (
        "statushouders.with_plan",
        "*",
        {2019: (None, D(50))},
        "'s-Hertogenbosch: 50% van de statushouders heeft een plan van aanpak",
    ),
    (
        "caseload.size",
        AMERSFOORT,
        {2018: (D(3275), D(3275))},
        "Amersfoort: aantal uitkeringen bijstand",
    ),
    ("amersfoort.inflow", AMERSFOORT, {2018: (D(900), D(900))}, "Amersfoort: instroom"),
    (
        "amersfoort.outflow_to_work_pct",
        "*",
        {2018: (D(50), D(40))},
        "Amersfoort: % uitstroom naar werk",
    ),
    (
        "amersfoort.ladder_climbing",
        "*",
        {2018: (D(20), D(20))},
        "Amersfoort: % langdurig (>1 jaar) stijgend op de re-integratieladder",
    ),
    (
        "amersfoort.debt_applications",
        AMERSFOORT,
        {2018: (D(1400), D(1350))},
        "Amersfoort: aanvragen schuldhulpverlening",
    ),
    (
        "amersfoort.debt_settled",
        "*",
        {2018: (D(72), D(75))},
        "Amersfoort: schuldregeling succesvol afgerond",
    ),
    (
        "bbv.bijstand_per_10k",
        AMERSFOORT,
        {2018: (D(390), D(390))},
        "Amersfoort: 39 per 1.000 inwoners",
    ),
    (
        "amersfoort.bijstand_per_1000",
        AMERSFOORT,
        {2018: (D(39), D(39))},
        "Amersfoort: personen met een bijstandsuitkering per 1.000 inwoners",
    ),
    (
        "amersfoort.caseload_vs_national",
        AMERSFOORT,
        {2018: (D(0), D(0))},
        "Amersfoort: ontwikkeling bestand t.o.v. landelijke lijn, streefcijfer 0% (in de pas met het land)",
    ),
    (
        "enforcement.handhaving_ended_share",
        "*",
        {2018: (D(6), D(6))},
        "Amersfoort: aandeel door handhaving beëindigde uitkeringen 6%",
    ),
    (
        "support.nieuw_beschut_fte",
        DEN_BOSCH,
        {2018: (None, D(60))},
        "'s-Hertogenbosch: nieuw beschut gemiddeld 60 fte in 2018",
    ),
    (
        "support.loonkostensubsidie_fte",
        DEN_BOSCH,
        {2018: (None, D(223))},
        "'s-Hertogenbosch: loonkostensubsidie gemiddeld 223 fte in 2018",
    ),
    (
        "banenafspraak.jobs",
        DEN_BOSCH,
        {2018: (None, D(1744))},
        "'s-Hertogenbosch (regio, 16 gemeenten): 1.744 banen via de banenafspraak gerekend "
        "vanaf 2015, waarvan 1.209 in de marktsector en 535 bij de overheid",
    ),
    (
        "jongeren.vso_pro_placed",
        DEN_BOSCH,
        {2018: (None, D(70))},
        "'s-Hertogenbosch: 70 jongeren uit doelgroep Vso/Pro bemiddelen naar werk",
    ),
    (
        "participation.taal_werkvloer_outflow",
        DEN_BOSCH,
        {2018: (None, D(50))},
        "'s-Hertogenbosch: 50 mensen stromen uit de uitkering vanuit taal op de werkvloer",
    ),
    (
        "participation.parttime_ondernemers",
        DEN_BOSCH,
        {2018: (None, D(196))},
        "'s-Hertogenbosch: 196 uitkeringsgerechtigden ondersteund bij parttime ondernemerschap",
    ),
    (
        "support.without_benefit",
        DEN_BOSCH,
        {2018: (None, D(150))},
        "'s-Hertogenbosch: 150 personen met een arbeidsbeperking zonder uitkering ondersteund",
    ),
    (
        "participation.werkervaringsplaatsen",
        DEN_BOSCH,
        {2018: (None, D(150))},
        "'s-Hertogenbosch: 150 beschikbare werkervaringsplaatsen over een periode van 3 maanden",
    ),
    (
        "participation.dagbesteding",
        DEN_BOSCH,
        {2018: (None, D(100))},
        "'s-Hertogenbosch: 100 plekken arbeidsmatige dagbesteding in 2018",
    ),
    (
        "prevention.ww_no_application",
        "*",
        {2018: (None, D(50))},
        "'s-Hertogenbosch: 50% dient na begeleiding einde WW geen aanvraag in",
    ),
    (
        "ondernemers.bbz_no_pwet_application",
        "*",
        {2018: (None, D(75))},
        "'s-Hertogenbosch: 75% van de ondersteunde ondernemers vraagt binnen 1 jaar geen "
        "uitkering P-wet aan",
    ),
    (
        "matching.profile_complete_share",
        HILVERSUM,
        {2019: (D(71), D(100))},
        "Hilversum, Focus op werk: iedereen heeft een digitaal profiel; 71% van het bestand "
        "stond eind 2018 in de matchingtool",
    ),
]


#: the municipality whose plan set each shared ("*") ambition (its note names it too)
SHARED_ORIGIN = {
    "outflow.pct_caseload": DEN_BOSCH,
    "caseload.parttime_share": DEN_BOSCH,
    "group3.participation": DEN_BOSCH,
    "contact.in_beeld": GRONINGEN,
    "prevention.inflow_per_application": DEN_BOSCH,
    "prevention.prevented_vs_inflow": AMERSFOORT,
    "enforcement.fraud_effect": DEN_BOSCH,
    "statushouders.with_plan": DEN_BOSCH,
    "amersfoort.outflow_to_work_pct": AMERSFOORT,
    "amersfoort.ladder_climbing": AMERSFOORT,
    "amersfoort.debt_settled": AMERSFOORT,
    "enforcement.handhaving_ended_share": AMERSFOORT,
    "prevention.ww_no_application": DEN_BOSCH,
    "ondernemers.bbz_no_pwet_application": DEN_BOSCH,
}
MUNICIPALITY_NAMES = {
    HILVERSUM: "Hilversum",
    GRONINGEN: "Groningen",
    DEN_BOSCH: "'s-Hertogenbosch",
    AMERSFOORT: "Amersfoort",
}


def seed_targets_for(cbs_code: str, years: range) -> list[tuple[str, int, D | None, D | None, str]]:
    """(code, year, baseline, target, note) for one municipality, carried forward per year.

    A shared ambition ("*") is loaded elsewhere as a starting point, with a note that names the
    plan it comes from, and without that municipality's nulmeting, which measured that
    municipality and not this one (walk of 3 December: Groningen's card showed Amersfoort's
    nulmeting of 72 % for the debt settlements as its own)."""
    out = []
    for code, scope, by_year, note in SEED_TARGETS:
        if scope not in ("*", cbs_code):
            continue
        borrowed = scope == "*" and SHARED_ORIGIN[code] != cbs_code
        for year in years:
            known = [y for y in sorted(by_year) if y <= year]
            if not known:
                continue
            baseline, target = by_year[known[-1]]
            if borrowed:
                origin = MUNICIPALITY_NAMES[SHARED_ORIGIN[code]]
                out.append(
                    (
                        code,
                        year,
                        None,
                        target,
                        f"Overgenomen als startpunt uit het beleidsplan van {origin} ({note}); "
                        f"de nulmeting daar is die van {origin} en staat hier niet",
                    )
                )
            else:
                out.append((code, year, baseline, target, note))
    return out
