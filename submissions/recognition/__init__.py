"""What recognition needs besides the criteria: each precondition of the set met (or waived with a reason), and the
recognition dossier an office files."""
