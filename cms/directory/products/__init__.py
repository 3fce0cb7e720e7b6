"""The other subjects of evaluation: OCOP producers (chủ thể) and their products."""
