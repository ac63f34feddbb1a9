"""Retention: closed dossiers past the period are listed; deleting is explicit, logged
without content, and the data is really gone from the file (checked by decrypting
every page of the base and of its WAL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import (Appointment, AuditEvent, LegalRepresentative, Measure, Person, Renewal,
                                                Report)
from injonctions_tui.domain.dossiers import retention
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE, TODAY

RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC at the end of every page


def _decrypted(db_path: Path) -> bytes:
    """The plaintext of every page in the base and in its WAL, free pages included."""
    key = storage.derive_key_for(db_path, PASSPHRASE)
    size = storage.PAGE_SIZE
    pages: list[tuple[int, bytes]] = []
    raw = db_path.read_bytes()
    pages += [(i // size + 1, raw[i:i + size]) for i in range(0, len(raw), size)]
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        data = wal.read_bytes()
        for offset in range(32, len(data) - 24 - size + 1, 24 + size):
            pages.append((int.from_bytes(data[offset:offset + 4], "big"), data[offset + 24:offset + 24 + size]))
    plain = bytearray()
    for number, page in pages:
        start = 16 if number == 1 else 0
        decryptor = Cipher(algorithms.AES(key), modes.CBC(page[size - RESERVE:size - RESERVE + 16])).decryptor()
        plain += decryptor.update(page[start:size - RESERVE]) + decryptor.finalize()
    return bytes(plain)


def _dossier(name: str, *, closed_on: dt.date | None, person: Person | None = None) -> Measure:
    person = person or Person.create(last_name=name, first_name="Séraphin", address=f"{name} rue secrète")
    measure = Measure.create(person=person, parquet_number=f"P-{name}"[:20], authority="procureur",
                             stage="alternative_poursuites", saisine_received_on=dt.date(2015, 1, 5),
                             status="cloture" if closed_on else "suivi",
                             outcome="classement_sans_suite" if closed_on else None, outcome_on=closed_on)
    first = Report.create(measure=measure, kind="fiche_navette", written_on=dt.date(2015, 6, 1),
                          observations=f"Observations sur {name}", status="final")
    Report.create(measure=measure, kind="fiche_navette", written_on=dt.date(2015, 6, 2), previous=first,
                  version=2, observations=f"Correction sur {name}")
    Appointment.create(measure=measure, kind="suivi_m3", starts_at=dt.datetime(2015, 6, 1, 9), place="CSAPA")
    Renewal.create(measure=measure, decided_on=dt.date(2015, 7, 1), new_end_on=dt.date(2016, 1, 1))
    LegalRepresentative.create(person=person, name=f"Parent {name}")
    return measure


def test_lists_closed_dossiers_past_the_period(db) -> None:
    old = _dossier("ANCIEN", closed_on=dt.date(2020, 3, 1))
    _dossier("RECENT", closed_on=dt.date(2023, 3, 1))
    _dossier("OUVERT", closed_on=None)
    other = _dossier("DEUXMESURES", closed_on=dt.date(2019, 1, 1))
    _dossier("DEUXMESURES", closed_on=None, person=other.person)
    due = retention.due_for_deletion(TODAY)
    assert [c.measure_id for c in due] == [other.id, old.id]
    assert [c.removes_person for c in due] == [False, True]
    assert retention.retention_years() == retention.DEFAULT_RETENTION_YEARS
    retention.save_retention_years(3)
    assert len(retention.due_for_deletion(TODAY)) == 3
    with pytest.raises(InvalidInput, match="entre 1 et 30 ans"):
        retention.save_retention_years(0)


def test_delete_really_removes_the_data_and_logs_only_ids_and_counts(db, db_path: Path) -> None:
    gone = _dossier("EFFACEMOI", closed_on=dt.date(2019, 1, 1))
    kept = _dossier("GARDEMOI", closed_on=None)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"EFFACEMOI" in _decrypted(db_path)  # the check below can see the data
    result = retention.delete_dossiers([gone.id])
    assert result.counts == {"measure": 1, "person": 1, "legal_representative": 1, "appointment": 1,
                             "report": 2, "orientation": 0, "renewal": 1}
    assert "1 dossier(s) et 1 personne(s)" in result.summary()
    assert not Person.select().where(Person.last_name == "EFFACEMOI").exists()
    assert Report.select().count() == 2 and Measure.get_by_id(kept.id).person.last_name == "GARDEMOI"
    event = AuditEvent.get(AuditEvent.action == "suppression_conservation")
    assert str(gone.id) in event.details and "EFFACEMOI" not in event.details
    db.close()
    plain = _decrypted(db_path)
    assert b"EFFACEMOI" not in plain and b"GARDEMOI" in plain


def test_delete_refuses_open_or_unknown_dossiers_and_deletes_nothing(db) -> None:
    closed = _dossier("FERME", closed_on=dt.date(2019, 1, 1))
    open_ = _dossier("OUVERT", closed_on=None)
    with pytest.raises(InvalidInput, match="Seuls les dossiers clôturés"):
        retention.delete_dossiers([closed.id, open_.id])
    with pytest.raises(InvalidInput, match="introuvable"):
        retention.delete_dossiers([closed.id, 9999])
    with pytest.raises(InvalidInput, match="Aucun dossier"):
        retention.delete_dossiers([])
    assert Measure.select().count() == 2 and Person.select().count() == 2


def test_a_person_with_another_measure_is_kept(db) -> None:
    first = _dossier("DEUXFOIS", closed_on=dt.date(2018, 1, 1))
    second = _dossier("DEUXFOIS", closed_on=dt.date(2024, 1, 1), person=first.person)
    result = retention.delete_dossiers([first.id])
    assert result.counts["person"] == 0 and result.counts["legal_representative"] == 0
    assert Measure.get_by_id(second.id).person.last_name == "DEUXFOIS"
