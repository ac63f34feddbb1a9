"""The professional's card for the signature tests: the SoftHSM2 token chosen in the base (all fictional)."""

from __future__ import annotations

from pathlib import Path

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.printing.signer_choice import Pkcs11Choice, choose_certificate, pick_certificate, read_cards
from injonctions_tui.domain.printing.trust import import_chain, import_crl
from tests.pkcs11_token import TokenDir


def choose_test_card(tokens: TokenDir, token_label: str | None = None, *, chain: bool = True,
                     library: str | None = None) -> Pkcs11Choice:
    """The card `token_label` (CPS-TEST by default) signs; with `chain`, its authority is
    imported as trust anchor and its CRL as revocation data."""
    cards = read_cards(library or tokens.lib_path, token_label or tokens.token_label)
    token, certificate = pick_certificate(cards, tokens.cert_label)
    choice = choose_certificate(library or tokens.lib_path, token, certificate, clock.now_utc())
    if chain:
        import_chain(Path(tokens.ca_pem))
        import_crl(Path(tokens.crl_pem))
    return choice
