"""Invima's review of radicated expedientes (issue 13): the legal clock, the timeline, the queue and assignment,
the checklist verification with its VoBo."""
