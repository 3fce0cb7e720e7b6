"""Exports that run in the background: a job per request (who asked, what, its progress and file), the task that
writes it, the API and the admin's "Tệp xuất của tôi". The files are the same as the synchronous exports'
(:mod:`submissions.reports.exports`), kept in the private storage until the retention period ends."""
