"""Jobpoint pages."""
