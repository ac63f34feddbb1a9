"""Orientation to the treating doctor: the directory, the letter, the forms, the information sheet.

Step 4 of the measure (DOMAIN.md; CSP R3413-11, R3413-12): the person chooses a doctor or a structure, often from
the directory kept here; that doctor is told the legal frame and returns an acceptance form; the choice is signed
at the permanence; the person takes home a sheet saying how the measure works.

- `choice`: the choice of the treating doctor at the orientation, picked from the directory or typed.
  Public: care_public, choice_defaults, choose_structure.
- `choice_form_pdf`: the form recording the choice of the treating doctor or structure, signed at the permanence.
  Public: formulaire_de_choix.
- `directory`: the directory of treating doctors and structures: where a person may be oriented.
  Public: DirectoryEntry, EntryValues, check_values, same_entry, save_entry, known_keys, add_entries, structure_row,
  get_entry, delete_entry, publics_for, search_directory, directory_size, DirectoryList, load_list,
  list_filename_stem.
- `directory_csv`: import the directory from the CSV file a CSAPA already keeps (a spreadsheet's export).
  Public: fold, DirectoryImport, import_directory.
- `directory_pdf`: the list of doctors and structures handed to the person: names and addresses only.
  Public: liste_des_soignants.
- `due`: the orientation papers due on a given day, for the batch of the day.
  Public: DueDocument, documents_due_on.
- `information_pdf`: the information sheet handed to the person at the evaluation: one page, plain French.
  Public: fiche_information.
- `layout_pdf`: the pieces the orientation papers share: the measure in a sentence, its dates, boxes, signatures.
- `letter_pdf`: the letter to the doctor or structure the person chose, and the acceptance form to return.
  Public: lettre_au_soignant.
- `papers`: what the orientation papers share: the dossier loaded once, with the dates they print.
  Public: OrientationPapers, standing_orientation, load_papers, load_chosen, chosen_texts.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["choice", "choice_form_pdf", "directory", "directory_csv", "directory_pdf", "due", "information_pdf",
           "layout_pdf", "letter_pdf", "papers"]
