"""injonctions_tui: the habilitated professional's tool for injonctions thérapeutiques."""

__version__ = "0.1.0"
