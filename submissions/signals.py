"""Events the submissions announce to the apps above them (which must not be imported from here)."""

from django.dispatch import Signal

#: Sent when published results changed (published, withdrawn, recomputed), inside the transaction that changed
#: them; ``unit_ids`` are the units whose results changed, or ``None`` for any unit. The public site's caches and
#: the cached statistics (:mod:`submissions.reports.statistics.cache`) listen.
results_changed = Signal()

#: Sent when submissions changed in a way the office's statistics count (a status, a recognition, recomputed
#: verdicts) through a bulk write that sends no ``post_save``, inside the transaction that changed them;
#: ``published`` says whether a published result is among them. The cached statistics listen.
submissions_changed = Signal()
