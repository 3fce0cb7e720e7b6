"""The submissions app's API: its routes (``urls``) and the plumbing its sub-packages share (``common``).

The endpoints live with their sub-domain: ``rounds.api``, ``entry.api``, ``review.api``, ``reports.api``.
"""
