"""The demonstration base: fictional people, for showing the app without real data.

Persons and professionals over two years, every status and outcome, deterministic.

- `builder`: fictional demonstration data, so the app can be shown without a single real person.
  Public: DemoSummary, populate_demo.
- `care_orders`: the demo's injonctions de soins (issue 21): the user is also médecin coordonnateur.
  Public: Helpers, make_coordinator, add_care_orders.
- `pools`: the pools the demonstration data is drawn from (see demo.py).
- `register`: the demonstration's habilitation files: evidence, an override, conflicts, history.
  Public: fill_register.
"""

__all__ = ["builder", "care_orders", "pools", "register"]
