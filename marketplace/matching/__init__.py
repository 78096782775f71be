"""Matching: skills vocabulary, embeddings, hard constraints, scoring and explanations."""
