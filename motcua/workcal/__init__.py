"""Working time: office hours, holidays, make-up days and deadline arithmetic (pure core in `core.py`)."""
