"""What every request passes through, whatever its blueprint (see STYLE.md: web/)."""
