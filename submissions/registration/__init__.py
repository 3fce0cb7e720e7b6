"""Registration of the title a commune aims for and the year: periods the office opens, registrations it approves
or returns, and the plan's dashboard (registered vs reached)."""
