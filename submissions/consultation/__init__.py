"""The public consultation before recognition (residents read the appraised results and comment) and the
residents' satisfaction survey (answers online during the consultation, and tallies of paper surveys)."""
