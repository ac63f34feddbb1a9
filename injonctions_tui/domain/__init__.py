"""The domain: every rule of the measures, without a terminal.

It never imports Textual nor the screens (import-linter contracts in pyproject.toml), so
every rule can be tested, scripted and benchmarked without a terminal. One package per
capability, each importing only those below it (low to high):

    core < store < printing, calendar < deadlines, register < dossiers
         < agenda, reports, statements, portability, orientation < documents < demo

Each package's __init__ says what it is for and lists its modules and public names;
import from the module that defines a name (packages re-export nothing, so importing
one capability never loads another, nor ReportLab).
"""

__all__ = ["agenda", "calendar", "core", "deadlines", "demo", "documents", "dossiers", "orientation", "portability",
           "printing", "register", "reports", "statements", "store"]
