"""Writers for formats other tools read natively: FollowTheMoney (Aleph, OpenSanctions), Popolo, people networks.

Each module writes one format from the view (`graph.view`); `graph.formats`
registers them. `accounts` and `ids` are what they share: the accounts' own
links, and stable ids made from the graph's IRIs.
"""
