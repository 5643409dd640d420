"""Vern's own date formats per language (``FORMAT_MODULE_PATH``), over Django's.

Templates and code name the format (``date:"DATE_FORMAT"``, ``date:"DATETIME_FORMAT"``) instead
of writing a Norwegian pattern, so English reads "1 December 2026" and bokmål and nynorsk
"1. desember 2026" (Django's nb and nn formats, which Vern keeps)."""
