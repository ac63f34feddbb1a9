"""dossiers."""
