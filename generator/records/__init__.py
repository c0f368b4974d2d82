"""Member records in, typed members out: the record format, CSV and JSON Lines."""

from generator.records.reader import load_record, read_records
from generator.records.schema import COLUMNS, parse_record

__all__ = ["COLUMNS", "load_record", "parse_record", "read_records"]
