"""Companies: registration, roles, memberships and invitations, RT/DT links, record of actions."""
