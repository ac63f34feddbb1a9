"""The handwritten signature image: kept inside the encrypted database, on every document."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from injonctions_tui.domain.agenda.attestation_pdf import attestation_de_presence
from injonctions_tui.domain.agenda.convocation_pdf import convocation
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent, Setting
from injonctions_tui.domain.dossiers.attestation_suivi_pdf import attestation_de_suivi
from injonctions_tui.domain.dossiers.measures import load_measure
from injonctions_tui.domain.printing import signature_image as si
from injonctions_tui.domain.printing.context import load_appointment
from tests.conftest import TODAY
from tests.pdf_checks import embedded_font_problems


def _signature_file(folder: Path, fmt: str = "PNG", name: str = "signature.png") -> Path:
    image = Image.new("RGB", (400, 150), "white")
    ImageDraw.Draw(image).line([(20, 120), (120, 30), (200, 110), (380, 40)], fill="navy", width=6)
    path = folder / name
    image.save(path, format=fmt)
    return path


def image_count(pdf: bytes) -> int:
    """Image XObjects over all pages."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for reference in (xobjects.get_object().values() if xobjects else []):
            count += reference.get_object().get("/Subtype") == "/Image"
    return count


def test_the_image_lives_in_the_encrypted_database(db, db_path: Path, tmp_path: Path) -> None:
    source = _signature_file(tmp_path)
    original = source.read_bytes()
    assert si.signature_image() is None
    si.set_signature_image(source)
    source.unlink()  # the original may go: nothing refers to it
    assert si.signature_image() == original
    row = Setting.get_by_id(si.SIGNATURE_IMAGE_KEY)
    assert base64.b64decode(json.loads(row.value)) == original
    assert AuditEvent.select().where(AuditEvent.action == "signature_image_set").count() == 1
    # No copy anywhere on disk, and the database file does not show it in clear.
    assert not [p for p in tmp_path.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg")]
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    assert si.PNG_MAGIC not in raw
    assert json.loads(row.value)[:40].encode() not in raw
    si.clear_signature_image()
    assert si.signature_image() is None
    assert Setting.get_or_none(Setting.key == si.SIGNATURE_IMAGE_KEY) is None


def test_jpeg_is_accepted_and_replaces_the_png(db, tmp_path: Path) -> None:
    si.set_signature_image(_signature_file(tmp_path))
    jpeg = _signature_file(tmp_path, "JPEG", "signature.jpg")
    si.set_signature_image(jpeg)
    assert si.signature_image() == jpeg.read_bytes()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "vide"),
    (b"%PDF-1.7 not an image at all", "PNG ou JPEG"),
    (b"GIF89a" + b"\0" * 64, "PNG ou JPEG"),
    (si.PNG_MAGIC + b"\0\0\0\rIHDR garbage", "illisible"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 32, "illisible"),
    (si.PNG_MAGIC + b"\0" * (si.MAX_BYTES + 1), "trop lourde"),
])
def test_bad_files_are_refused_in_french(db, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "signature.png"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        si.set_signature_image(path)
    assert si.signature_image() is None


def test_missing_file_or_folder_is_refused(db, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="introuvable"):
        si.set_signature_image(tmp_path / "absente.png")
    with pytest.raises(InvalidInput, match="dossier"):
        si.set_signature_image(tmp_path)


def test_a_truncated_png_is_refused(db, tmp_path: Path) -> None:
    good = _signature_file(tmp_path).read_bytes()
    path = tmp_path / "tronquee.png"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(InvalidInput, match="illisible"):
        si.set_signature_image(path)


def test_documents_carry_the_image_once_set(data, tmp_path: Path) -> None:  # noqa: F811
    measure_id = data["present"].measure_id
    builders = {
        "attestation": lambda: attestation_de_presence(load_appointment(data["present"].id), today=TODAY),
        "convocation": lambda: convocation(load_appointment(data["adult_next"].id), today=TODAY),
        "suivi": lambda: attestation_de_suivi(load_measure(measure_id), today=TODAY),
    }
    before = {name: build() for name, build in builders.items()}
    assert all(image_count(pdf) == 0 for pdf in before.values())
    si.set_signature_image(_signature_file(tmp_path))
    for name, build in builders.items():
        pdf = build()
        assert image_count(pdf) >= 1, name
        assert embedded_font_problems(pdf) == [], name
        assert build() == pdf, name  # still invariant
    si.clear_signature_image()
    assert builders["suivi"]() == before["suivi"]
