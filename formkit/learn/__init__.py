"""Drafting a form definition from a blank original, and checking one.

learner reads the original's paragraphs into proposals (looks: bold and
drawn blanks; tables: the quality table and grids; model: the proposals),
draft finishes the draft, write renders it as form.yaml; check finds every
anchor of a definition in an original, roundtrip fills generated records and
parses them back. Imports everything below it: formkit.docx, forms, locate,
read, fill, office, and the base modules.
"""
