"""Dutch calendar names, for text that is Dutch whatever the request's language: the BRP's
``langFormaat``, CBS StatLine's period labels, the BUIG report's month columns; and the year a
page's ``?jaar=`` may ask for (:func:`year_param`)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from common import clock

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


#: the years a page's ``?jaar=`` may ask for
YEAR_MIN, YEAR_MAX = 2000, 2100


def year_param(request, *, warn: bool = False) -> int:
    """The year in ``?jaar=`` when it is a year from ``YEAR_MIN`` to ``YEAR_MAX``, else this
    year (``common.clock``). With ``warn`` an unusable ``jaar`` adds one Dutch message saying
    which year the page shows instead (the walk of 4 December: ``?jaar=1999`` or ``abc``
    silently showed this year); a page calls it with ``warn`` once."""
    raw = request.GET.get("jaar", "")
    this_year = clock.today().year
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    if year is not None and YEAR_MIN <= year <= YEAR_MAX:
        return year
    if warn and raw:
        messages.warning(
            request,
            _(
                "Het jaar '%(raw)s' kan niet worden getoond (kies %(lo)s tot en met %(hi)s); u ziet %(year)s."
            )
            % {"raw": raw[:12], "lo": YEAR_MIN, "hi": YEAR_MAX, "year": this_year},
        )
    return this_year
