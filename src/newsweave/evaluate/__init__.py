"""Evaluation on labelled sets: boilerplate removal (extraction) and story clustering."""
