"""Disclosure: conviction records, the spent/filtered calculator, and the one policy that decides
what each viewer may see of a candidate."""
