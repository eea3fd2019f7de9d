"""Incidents: types, the authority matrix, on-call, response actions, lifecycle, timeline
and response-time metrics. Everything here is pure except `executor`, which performs
response actions through the graph client with the tenant's response credential.
"""
