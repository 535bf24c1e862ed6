"""Drafting a form definition from a blank original, and checking one.

learner reads the original's paragraphs into proposals (looks: bold and
drawn blanks; tables: the quality table and grids; blocks: date blanks and
signature blocks; model: the proposals), draft finishes the draft (with
context for repeated labels), write renders it as form.yaml after verify
tried it (check, the blank original, a round trip); check finds every anchor
of a definition in an original, roundtrip fills generated records and parses
them back. Imports everything below it: formkit.docx, forms, locate,
read, fill, office, and the base modules.
"""
