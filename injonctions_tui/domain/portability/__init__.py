"""Every record in and out as one JSON document.

Portability, access requests, moving to another laptop.

- `json_export`: export the whole database to one JSON document, and import it into an empty one.
  Public: Section, all_sections, export_all, write_export, read_export_file, validate, import_all, json_schema.
- `schema`: the export's schema as pydantic models built from the tables, and its problems said in French
  with their JSON path (loaded by the import only).
  Public: export_schema, record_schema, problems_of, json_path, french.
"""

__all__ = ["json_export", "schema"]
