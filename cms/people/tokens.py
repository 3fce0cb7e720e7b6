"""The one-time link of an invitation e-mail: Django's password-reset token machinery with its own salt and the
invitation's lifetime.

The token hashes the user's password and last login (as Django's does), so setting the password spends it; it also
hashes the invitation's id, so sending a new invitation (which cancels the old one) makes the old link useless.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

#: How long an invitation (link or letter code) stays usable.
INVITATION_DAYS = 14


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cms.people.tokens.InvitationTokenGenerator"

    def make_invitation_token(self, user, invitation) -> str:
        user._people_invitation_id = invitation.pk
        return self.make_token(user)

    def check_invitation_token(self, user, invitation, token: str) -> bool:
        """Django's check, with the invitation's lifetime instead of ``PASSWORD_RESET_TIMEOUT``."""
        if not (user and invitation and token):
            return False
        user._people_invitation_id = invitation.pk
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= INVITATION_DAYS * 24 * 3600

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{getattr(user, '_people_invitation_id', '')}"


invitation_token_generator = InvitationTokenGenerator()
