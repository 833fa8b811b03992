"""Mechanics shared by the inventory services."""
