"""The demonstration base: fictional people, for showing the app without real data.

Persons and professionals over two years, every status and outcome, deterministic.

- `builder`: fictional demonstration data, so the app can be shown without a single real person.
  Public: DemoSummary, populate_demo.
- `pools`: the pools the demonstration data is drawn from (see demo.py).
- `register`: the demonstration's habilitation files: evidence, an override, conflicts, history.
  Public: fill_register.
"""

__all__ = ["builder", "pools", "register"]
