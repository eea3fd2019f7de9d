"""Monthly operational review, quarterly executive review and the signed evidence pack.

`content` builds what a review says (pure); `gather` reads it from the store; `render`
turns it into self-contained HTML and PDF; `pack` writes and verifies evidence packs.
"""
