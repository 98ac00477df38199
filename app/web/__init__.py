"""Pieces shared by every web screen that sit between the app and its frameworks (Flask, FAB)."""
