"""Admin of third-party models that need a safer view than the package ships."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class SafeTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device config and QR code views fetch the device with ``objects.get``: a
    nonexistent id was a 500, and an existing one answered differently from a missing one to a
    user without the permission. Check the permission first, then 404 (issue #12)."""

    def _device(self, request, pk) -> TOTPDevice:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(TOTPDevice, pk=pk)

    def config_view(self, request, pk):
        self._device(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        self._device(request, pk)
        return super().qrcode_view(request, pk)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, SafeTOTPDeviceAdmin)
