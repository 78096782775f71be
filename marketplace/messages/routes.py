"""Checked messages: pages for PELs, employers and candidates."""
