# the Chromium ``page`` fixture of the browser tests (used by test_browser_csp.py)
from tests.browser.conftest import page  # noqa: F401
