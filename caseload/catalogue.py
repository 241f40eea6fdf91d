"""The re-integration instrument catalogue as preloaded (DOMAIN.md section 5).

Functioneel beheer edits the catalogue afterwards in the admin; this list is only the start.
(code, name, category, srg_type, working_with_support, participation, default_cost)
"""

INSTRUMENTS: list[tuple[str, str, str, str, bool, bool, int]] = [
    ("jobhunting", "Jobhunting", "werk", "", False, False, 600),
    (
        "sollicitatietraining",
        "Sollicitatietraining (wekelijks in groep)",
        "werk",
        "",
        False,
        False,
        350,
    ),
    ("coaching", "Coaching", "ontwikkeling", "", False, False, 1500),
    (
        "scholing",
        "Training en scholing met behoud van uitkering",
        "ontwikkeling",
        "",
        False,
        False,
        2500,
    ),
    ("stage", "Stage", "ontwikkeling", "", False, False, 500),
    ("werkervaringsplaats", "Werkervaringsplaats", "ontwikkeling", "overig", False, False, 2000),
    ("werkleerbedrijf", "Werkleerbedrijf", "ontwikkeling", "overig", False, False, 4000),
    (
        "participatieplaats",
        "Participatiebaan / participatieplaats",
        "participatie",
        "participatieplaats",
        False,
        True,
        1800,
    ),
    ("vrijwilligerswerk", "Vrijwilligerswerk", "participatie", "", False, True, 0),
    ("sociale_activering", "Sociale activering", "participatie", "", False, True, 1200),
    ("dagbesteding", "Arbeidsmatige dagbesteding", "participatie", "", False, True, 3500),
    ("taal_werkvloer", "Taal op de werkvloer", "ondersteuning", "", False, False, 1500),
    ("schuldhulpverlening", "Schuldhulpverlening", "ondersteuning", "", False, False, 1000),
    (
        "parttime_ondernemen",
        "Parttime ondernemen / Bbz-begeleiding",
        "ondersteuning",
        "",
        False,
        False,
        1200,
    ),
    ("loonkostensubsidie", "Loonkostensubsidie", "gesubsidieerd", "lks", True, False, 9000),
    ("nieuw_beschut", "Nieuw beschut werk", "gesubsidieerd", "beschut", True, False, 25000),
    ("garantiebaan", "Garantiebaan (banenafspraak)", "gesubsidieerd", "lks", True, False, 6000),
    ("basisbaan", "Basisbaan", "gesubsidieerd", "wiw_id", True, False, 15000),
    ("proefplaatsing", "Proefplaatsing", "werk", "", False, False, 0),
    ("jobcoaching", "Jobcoaching", "gesubsidieerd", "", True, False, 3000),
    ("wsw_detachering", "Wsw detachering", "wsw", "", True, False, 0),
    ("wsw_begeleid_werken", "Wsw begeleid werken", "wsw", "", True, False, 0),
]
