"""Error reports (the e-mail to ADMINS, the DEBUG page) never show a BSN.

Django's ``SafeExceptionReporterFilter`` hides settings that look secret, but not request data or
the local variables of the traceback, where a BSN typed into the search or the API can sit. This
filter masks every nine-digit string that passes the 11-test, in POST data and in frame variables,
also with DEBUG on. Set as ``DEFAULT_EXCEPTION_REPORTER_FILTER``.
"""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter

from common.bsn import bsns_in, mask_bsns


def _contains_bsn(text: str) -> bool:
    return bool(bsns_in(text))


class BsnSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True  # mask even with DEBUG on (the debug page is shown to a developer too)

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if not params:
            return params
        cleansed = params.copy()
        for key in cleansed:
            values = cleansed.getlist(key) if hasattr(cleansed, "getlist") else [cleansed[key]]
            masked = [mask_bsns(v) if isinstance(v, str) else v for v in values]
            if hasattr(cleansed, "setlist"):
                cleansed.setlist(key, masked)
            else:
                cleansed[key] = masked[0]
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        out = []
        for name, value in variables:
            try:
                text = value if isinstance(value, str) else repr(value)
            except Exception:  # noqa: BLE001 - a broken __repr__ must not break the report
                text = ""
            out.append((name, mask_bsns(text) if _contains_bsn(text) else value))
        return out
