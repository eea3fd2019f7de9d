"""Security frameworks as package data (NIST CSF 2.0) and their loaders.

Imports nothing else of cosec.
"""
