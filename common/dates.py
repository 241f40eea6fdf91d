"""Dutch calendar names, for text that is Dutch whatever the request's language: the BRP's
``langFormaat``, CBS StatLine's period labels, the BUIG report's month columns."""

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
