"""Stage 3: documents and blank forms from records and checklists, their numbers and layout."""
