"""Importers of center listings, outside the views: parse, normalise, place, validate, load."""
