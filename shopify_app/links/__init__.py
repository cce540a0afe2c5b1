"""Magic links, shared by the API (which mints them) and the portal (which redeems them):
minting, revocation, tokens, keyring, statistics, customer lookup.
"""
