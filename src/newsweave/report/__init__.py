"""Report: exports (JSON, JSONL, Parquet) and readable views of stories."""
