"""Responsibility-map presets (package data). Copy a cell into cosec.yaml to adapt it."""
