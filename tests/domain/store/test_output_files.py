"""Every written file goes through store.output_files: never over the base nor its companions
(whatever the spelling), never over a device or a folder, never over an existing file
unless forced; folders owner-only (issue 15, points 1 and 9)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from injonctions_tui import cli
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.output_files import OutputRefused, check_output, make_private_dirs, write_output
from tests.conftest import PASSPHRASE


def _companions(db_path: Path) -> list[Path]:
    return [db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm", ".kdf", ".lock"))]


def test_the_open_base_and_its_files_are_refused_whatever_the_spelling(db, db_path: Path, tmp_path: Path) -> None:
    (db_path.parent / "injonctions.db.lock").write_text("1\n")
    link = tmp_path / "raccourci.json"
    link.symlink_to(storage.kdf_path(db_path))
    detour = db_path.parent / ".." / db_path.parent.name / "injonctions.db.kdf"
    for target in [*_companions(db_path), link, detour]:
        with pytest.raises(OutputRefused, match="la base de données ou l'un de ses fichiers"):
            write_output(target, b"{}", force=True)
    assert storage.key_opens(db_path, storage.derive_key_for(db_path, PASSPHRASE))


def test_another_base_is_refused_too(tmp_path: Path) -> None:
    other = tmp_path / "autre.db"
    other.write_bytes(b"x" * 4096)
    storage.kdf_path(other).write_text("{}")
    for target in (other, storage.kdf_path(other), tmp_path / "autre.db-wal"):
        with pytest.raises(OutputRefused, match="la base de données"):
            check_output(target, force=True)


def test_devices_folders_and_existing_files(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="pas un fichier ordinaire"):
        write_output(Path("/dev/full"), b"x", force=True)
    with pytest.raises(OutputRefused, match="est un dossier"):
        write_output(tmp_path, b"x", force=True)
    existing = tmp_path / "export.json"
    existing.write_text("précieux")
    with pytest.raises(OutputRefused, match="existe déjà.*--force"):
        write_output(existing, b"nouveau")
    assert existing.read_text() == "précieux"
    assert write_output(existing, b"nouveau", force=True) == existing
    assert existing.read_bytes() == b"nouveau" and stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]  # no temporary file left


def test_a_full_disk_is_called_a_full_disk_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    import errno

    real_write = os.write

    def full(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OutputRefused) as caught:
        write_output(tmp_path / "a.json", b"x" * 100)
    monkeypatch.setattr(os, "write", real_write)
    assert "Le disque est plein" in caught.value.message and "No space" not in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_private_folders_are_0700_at_every_level(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        make_private_dirs(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for level in ("a", "a/b", "a/b/c"):
        assert stat.S_IMODE((tmp_path / level).stat().st_mode) == 0o700, level


def test_documents_folder_is_created_owner_only(tmp_path: Path, monkeypatch) -> None:
    from injonctions_tui.paths import prepared_documents_dir

    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(tmp_path / "Documents" / "injonctions"))
    folder = prepared_documents_dir(2026)
    for level in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(level.stat().st_mode) == 0o700


@pytest.mark.parametrize("suffix", ["", ".kdf", "-wal"])
def test_cli_export_over_the_base_is_refused_and_the_base_still_opens(configured_db_path: Path, suffix: str,
                                                                      monkeypatch, capsys) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    db_path = configured_db_path
    target = db_path.with_name(db_path.name + suffix)
    if suffix == "-wal":
        target.write_bytes(b"")
    before = target.read_bytes()
    spelled = db_path.parent / ".." / db_path.parent.name / target.name
    assert cli.main(["export", "--db", str(db_path), "--out", str(spelled), "--force"]) == 2
    assert "la base de données ou l'un de ses fichiers" in capsys.readouterr().err
    assert target.read_bytes() == before
    storage.open_database(db_path, PASSPHRASE).close()


def test_cli_outputs_refuse_existing_files_unless_forced(configured_db_path: Path, tmp_path: Path,
                                                         monkeypatch, capsys) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    db = str(configured_db_path)
    for command, name in ((["export"], "export.json"), (["etat", "--year", "2025", "--csv"], "etat.csv"),
                          (["bilan", "--from", "2026-01-01", "--to", "2026-06-30", "--csv"], "bilan.csv"),
                          (["print", "registre"], "registre.pdf")):
        out = tmp_path / name
        out.write_text("à garder")
        assert cli.main([*command, "--db", db, "--out", str(out)]) == 2, command
        assert "existe déjà" in capsys.readouterr().err
        assert out.read_text() == "à garder"
        assert cli.main([*command, "--db", db, "--out", str(out), "--force"]) == 0, command
        assert out.read_bytes() != "à garder".encode()
        capsys.readouterr()
