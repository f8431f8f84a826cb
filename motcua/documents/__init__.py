"""Printed papers of the one-stop desk (Circular 01/2018/TT-VPCP forms 01–06) as PDF, plus the logbook as XLSX."""
