"""Nothing of the privacy app is in the Django admin on purpose: the processing log and the
break-the-glass grants are readable by the privacy officer only, through the privacy pages
(``privacy:*``), and the log cannot be edited by anyone. Admin views of other apps that
show resident data are logged by :mod:`privacy.admin_logging`."""
