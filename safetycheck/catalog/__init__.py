"""Stage 1: checklist, profile and source files: loading with positions, models, validation, the catalog."""
