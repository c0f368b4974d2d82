"""Pure domain rules: era dates, age, burden ratio, validity, numbers and member models.

Nothing here does I/O or knows of DOCX or PDF.
"""
