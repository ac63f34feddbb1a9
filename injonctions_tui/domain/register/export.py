"""The register for other readers: JSON (`injonctions registre --json`), plain text, CSV, PDF.

Why every form starts from `register.register_rows(today)`: the ARS, the parquet and the
CSAPA must read the same state on the same date, whatever the medium. JSON keys are
English and dates ISO (like the other CLI outputs); the CSV is `;`-separated with a BOM
for French spreadsheets; the PDF goes through the documents layer (letterhead, DejaVu,
invariant). Conflict-of-interest declarations name third persons: never exported here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.dates import format_fr
from ..core.formats import csv_text
from ..core.models import Professional
from ..store.professionals import habilitation_on
from .caseload import caseloads
from .coordinator import listing_checklist, listing_view
from .eligibility import checklist
from .rows import EXPIRY_WARNING_DAYS, RegisterRow, expiring, own_habilitation_warning, register_rows
from .status import overrides_of

FORMAT = "injonctions-registre"
FORMAT_VERSION = 1


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _professional_json(row: RegisterRow, professional: Professional, today: dt.date,
                       loads: dict[int, Any]) -> dict[str, Any]:
    found = checklist(professional, today)
    load = loads.get(professional.id)
    current = habilitation_on(professional, today)
    return {
        "id": professional.id, "name": row.name, "last_name": professional.last_name,
        "first_name": professional.first_name, "is_user": row.is_user,
        "profession": professional.profession, "rpps_adeli": professional.rpps_adeli,
        "order": {"name": professional.order_name, "number": professional.order_number,
                  "registered_on": _iso(professional.order_registered_on),
                  "without_order": professional.without_order, "summary": row.order},
        "csapa": professional.csapa_name, "departments": professional.departments,
        "status": row.status_code, "status_label": row.state, "since": _iso(row.since),
        "habilitated": row.habilitated_today, "expired": row.expired, "expires_soon": row.expires_soon,
        "valid_until": _iso(row.valid_until), "decision_on": _iso(row.decision_on),
        "decision_reference": row.decision_reference or None, "list_year": row.list_year,
        "reason": row.reason or None,
        "file_complete": found.complete, "missing_items": list(row.missing),
        "checklist": [{"key": i.key.value, "group": i.group, "label": i.label, "state": i.state.value,
                       "explanation": i.explanation, "document_on": _iso(i.document_on),
                       "expires_on": _iso(i.expires_on)} for i in found.items],
        "overrides": [{"item": o.item, "reason": o.reason, "decided_by": o.decided_by,
                       "decided_on": _iso(o.decided_on)} for o in overrides_of(current)],
        "caseload": {"persons": load.persons if load else 0, "warnings": load.warnings if load else [],
                     "kinds": [{"kind": k.kind.value, "persons": k.persons, "cap": k.cap,
                                "near_cap": k.near_cap} for k in (load.kinds if load else ())]},
        "coordinator_listing": _listing_json(professional, today) if row.listing else None,
    }


def _listing_json(professional: Professional, today: dt.date) -> dict[str, Any]:
    """The procureur's list of médecins coordonnateurs (injonction de soins), beside the habilitation."""
    view = listing_view(professional, today)
    found = listing_checklist(professional, today)
    return {"listed": view.listed, "state": view.state, "tribunal": view.tribunal, "since": _iso(view.since),
            "valid_until": _iso(view.valid_until), "file_complete": found.complete,
            "missing_items": [item.short for item in found.unmet],
            "checklist": [{"key": i.key, "group": i.group, "label": i.label, "state": i.state.value,
                           "explanation": i.explanation} for i in found.items]}


def register_json(today: dt.date) -> dict[str, Any]:
    """Each professional with status, valid-until date, missing items and caseload, on `today`."""
    rows = register_rows(today)
    loads = caseloads()
    professionals = {p.id: p for p in Professional.select()}
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "date": today.isoformat(),
        "count": len(rows), "habilitated": sum(r.habilitated_today for r in rows),
        "expiring_within_days": EXPIRY_WARNING_DAYS,
        "expiring": [r.professional_id for r in expiring(today)],
        "professionals": [_professional_json(r, professionals[r.professional_id], today, loads) for r in rows],
    }


def _status_line(row: RegisterRow, today: dt.date) -> str:
    line = row.state
    if row.since and not row.habilitated_today:
        line += f" depuis le {format_fr(row.since)}"
    if row.decision_on:
        line += (f", décision {row.decision_reference or 'sans référence'} du {format_fr(row.decision_on)}"
                 + (f" (liste {row.list_year})" if row.list_year else ""))
    if (row.habilitated_today or row.expired) and row.valid_until:
        line += f", valable jusqu'au {format_fr(row.valid_until)}"
        if row.expires_soon:
            line += f" — EXPIRE DANS {(row.valid_until - today).days} JOUR(S)"
    if row.reason:
        line += f" — motif : {row.reason}"
    return line


def register_text(today: dt.date) -> str:
    """The register for a terminal: one block per professional, warnings spelled out."""
    rows = register_rows(today)
    out = [f"Registre des professionnels habilités — situation au {format_fr(today)}",
           f"{len(rows)} professionnel(s), dont {sum(r.habilitated_today for r in rows)} habilité(s) à ce jour", ""]
    for row in rows:
        number = f" — {'RPPS' if len(row.rpps_adeli) == 11 else 'ADELI'} {row.rpps_adeli}" if row.rpps_adeli else ""
        out.append(f"{row.name}{' (vous)' if row.is_user else ''} — {row.profession}{number}")
        out.append(f"  CSAPA : {row.csapa or 'non renseigné'}"
                   + (f" — département(s) : {row.departments}" if row.departments else ""))
        out.append(f"  Ordre : {row.order}")
        out.append(f"  Statut : {_status_line(row, today)}")
        dossier = "complet" if not row.missing else "à compléter : " + ", ".join(row.missing)
        if row.overrides:
            dossier += f" ({row.overrides} dérogation(s) motivée(s))"
        out.append(f"  Dossier : {dossier}")
        if row.listing:
            out.append(f"  Liste des médecins coordonnateurs : {row.listing}")
        out.append(f"  Personnes suivies : {row.caseload or '0'}")
        out += [f"  ATTENTION : {warning}" for warning in row.caseload_warnings]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


CSV_HEADER = ["Nom", "Profession", "N° RPPS/ADELI", "Ordre professionnel", "CSAPA employeur", "Départements",
              "Statut", "Depuis le", "Référence de la décision", "Décision du", "Année de la liste",
              "Valable jusqu'au", "Expire sous 60 jours", "Motif", "Dossier complet", "Éléments manquants",
              "Dérogations", "Personnes suivies", "Alerte plafond", "Liste des médecins coordonnateurs"]


def register_csv(today: dt.date) -> str:
    """One row per professional; dates JJ/MM/AAAA, `;`, BOM, formula-safe cells."""
    rows = [[r.name, r.profession, r.rpps_adeli, r.order, r.csapa, r.departments, r.state,
             format_fr(r.since), r.decision_reference, format_fr(r.decision_on), r.list_year or "",
             format_fr(r.valid_until), "oui" if r.expires_soon else "non", r.reason,
             "oui" if not r.missing else "non", " ; ".join(r.missing), r.overrides or "",
             r.caseload_persons, " ".join(r.caseload_warnings), r.listing]
            for r in register_rows(today)]
    return csv_text(CSV_HEADER, rows)


def register_pdf(today: dt.date) -> bytes:
    """The printed extract for the ARS and the parquet (see register/register_pdf.py)."""
    from .register_pdf import register_pdf  # ReportLab, only when printing

    return register_pdf(register_rows(today), today=today)


def register_filename(today: dt.date, suffix: str = ".pdf") -> str:
    """"registre-habilitations-2026-11-23.pdf" (or .csv, .json)."""
    from ..printing.saving import document_filename

    return document_filename("registre-habilitations", today).removesuffix(".pdf") + suffix


__all__ = ["expiring", "own_habilitation_warning", "register_csv", "register_filename", "register_json",
           "register_pdf", "register_text"]
