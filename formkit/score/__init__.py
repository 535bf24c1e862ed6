"""Scoring records by a form's rubric, and the committee's report.

rubric evaluates a record (with or without the committee's judgments),
inputs reads what score and report are given (documents parsed, results
files read) and fields checks each entry's fields, judgments reads the
committee's judgments and judgments_template writes their template, scoring
makes the scores, report writes report.xlsx and report.html. Imports formkit.forms, read (Word
files given to score are parsed first), fill (records are checked as fill
checks them) and the base modules; never the Word layer.
"""
