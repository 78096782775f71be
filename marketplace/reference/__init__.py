"""Reference data: UK postcode districts and prisons in England and Wales (see data/SOURCES.md)."""
