"""The image of the professional's handwritten signature, printed on every document.

Why in the encrypted database (Setting "signature_image", base64 in a JSON string)
and not as a file next to it: a signature image lying in a folder can be copied onto
any letter; inside the database it is as protected as the dossiers, and it travels
with the backups. The original file is only read, never copied elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from pathlib import Path

from ..core.errors import InvalidInput
from ..core.models import Setting
from ..store.audit import record
from ..store.storage_errors import describe_os_error

SIGNATURE_IMAGE_KEY = "signature_image"
MAX_BYTES = 500 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def _kind(data: bytes) -> str | None:
    if data.startswith(PNG_MAGIC):
        return "PNG"
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    return None


def validate_signature_image(data: bytes) -> None:
    """Refuse (in French) anything that is not a small, readable PNG or JPEG."""
    if not data:
        raise InvalidInput("Le fichier de signature est vide.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"L'image de signature est trop lourde ({len(data) // 1024} Ko) : "
                           f"{MAX_BYTES // 1024} Ko au plus. Réduisez-la ou recadrez-la.")
    kind = _kind(data)
    if kind is None:
        raise InvalidInput("L'image de signature doit être un fichier PNG ou JPEG.")
    try:
        from PIL import Image as PILImage
        from reportlab.lib.utils import ImageReader

        with PILImage.open(io.BytesIO(data)) as image:
            if image.format != kind:
                raise ValueError(image.format)
            image.load()  # decodes the pixels: a truncated file fails here
            width, height = image.size
        ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001 (Pillow and reportlab raise many kinds)
        raise InvalidInput(f"L'image de signature est illisible : ce fichier {kind} semble endommagé.") from None
    if width < 1 or height < 1:
        raise InvalidInput("L'image de signature est vide (aucun pixel).")


def set_signature_image(path: Path) -> None:
    """Read the file, check it, and keep it in the database (replacing any previous one)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInput(f"L'image de signature est trop lourde ({size // 1024} Ko) : "
                               f"{MAX_BYTES // 1024} Ko au plus. Réduisez-la ou recadrez-la.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} est un dossier, pas une image.") from None
    except PermissionError:
        raise InvalidInput(f"Lecture refusée : {path} (droits insuffisants).") from None
    except OSError as error:
        raise InvalidInput(f"Impossible de lire {path} : {describe_os_error(error)}.") from None
    validate_signature_image(data)
    Setting.replace(key=SIGNATURE_IMAGE_KEY,
                    value=json.dumps(base64.b64encode(data).decode("ascii"))).execute()
    record("signature_image_set", "setting", details=f"{_kind(data)}, {len(data)} octets")


def clear_signature_image() -> None:
    """Forget the image: documents show the empty room for a handwritten signature again."""
    if Setting.delete().where(Setting.key == SIGNATURE_IMAGE_KEY).execute():
        record("signature_image_cleared", "setting")


def signature_image() -> bytes | None:
    """The image bytes, or None when none is set (or the stored value is unusable)."""
    row = Setting.get_or_none(Setting.key == SIGNATURE_IMAGE_KEY)
    if row is None:
        return None
    try:
        encoded = json.loads(row.value)
        data = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
    except (ValueError, binascii.Error):
        return None
    return data if _kind(data) else None
