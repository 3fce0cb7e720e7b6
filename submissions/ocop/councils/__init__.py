"""Councils at work: the office forms them and assigns dossiers; members score blind; the chair closes."""
