"""Every record in and out as one JSON document.

Portability, access requests, moving to another laptop.

- `json_export`: export the whole database to one JSON document, and import it into an empty one.
  Public: Section, all_sections, export_all, write_export, read_export_file, import_all.
"""

__all__ = ["json_export"]
