"""Feedback and petitions (phản ánh, kiến nghị): received, routed, answered on time and published."""
