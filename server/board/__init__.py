"""The anonymous board: prompts as columns, posts that store no author, reactions, votes.

docs/anonymity.md says what is promised and how; docs/protocol.md says what goes on the wire.
"""
