from django import forms
from django.utils.translation import gettext_lazy as _

#: Digits of a TOTP code (django-otp's default).
TOKEN_DIGITS = 6


class TokenForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=TOKEN_DIGITS + 4,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != TOKEN_DIGITS or not token.isdigit():
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return token


class UnlockForm(forms.Form):
    """Which account to unlock, from which address (the rows of the locked logins page)."""

    username = forms.CharField(max_length=150)
    ip_address = forms.GenericIPAddressField()
