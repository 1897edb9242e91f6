"""Office formats: Word (DOCX) documents and forms, Excel (XLSX) and CSV tables."""
