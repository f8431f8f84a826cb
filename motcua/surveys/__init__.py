"""Satisfaction surveys (SIPAS): versioned questionnaires, sampled invitations, anonymous answers, results."""
