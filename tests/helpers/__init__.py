"""What several test modules share: factories, form helpers, fake servers, fixture files.

Fixtures live in conftest.py; these are plain functions and classes the tests call.
"""
