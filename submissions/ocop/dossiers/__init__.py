"""A producer's dossier for an OCOP round: starting it, then the engine's own form (values, evidence, drafts)."""
