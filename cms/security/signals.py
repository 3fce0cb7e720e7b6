"""django-axes' lockout signal, recorded in the audit trail (the receiver only calls the service)."""

from django.dispatch import receiver

from axes.signals import user_locked_out

from . import services


@receiver(user_locked_out, dispatch_uid="security_record_lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    """An account just got locked from an address.

    django-axes sends the signal again for each attempt refused while the lock lasts; those attempts are not
    counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), which is how they are told apart.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None or not username:
        return
    services.lockout_record(username=username, ip_address=ip_address, failures=failures)
