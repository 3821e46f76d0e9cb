"""Writers for formats other tools read natively: FollowTheMoney (Aleph, OpenSanctions), Popolo, people networks.

Each of `ftm`, `popolo` and `network` writes one format from the view
(`graph.view`); `graph.formats` registers them. `accounts`, `ids` and `roles`
are what they share: the accounts' own links, stable ids made from the graph's
IRIs, and who holds each role in which body.
"""
