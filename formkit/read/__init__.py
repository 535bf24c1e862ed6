"""Reading returned forms: which form a document is, and its record.

recognize (the form, from its own printed text), parse (one file: the
model from formkit.docx, the fields from formkit.locate, the result
envelope), photos (the photos written out, ``--photos``), batch (many
files, in order, in worker processes), table (results as one CSV table),
inputs (folders walked for Word documents) and inspect (an account of one
document). Imports the layers below it: formkit.docx, forms, locate,
office (legacy .doc/.rtf/.odt converted first), and the base modules.
"""
