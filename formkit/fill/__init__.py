"""Filling forms: records in, filled .docx out.

records, recordtext, tabular, csvfile and xlsx read and check what a user
gives (a record file, rows of a spreadsheet or JSON Lines), schema says in
JSON Schema what a record may hold; template derives a fill template from an
original by the same locators parse uses (answers finds what an office's
copy already holds, clear empties it for --clear, build and boxes turn each
located blank and box into tags, tags keeps those tags out of the document's
text, edit and header do the XML edits, members chooses what a filled
document carries, layout and photos lay out the attachment: works on pages
of their own, prompts kept with their answers, the photo grid); controls,
control_values, dates and bindings fill Word's form controls; filler
renders a record, bulk many, naming names the files. Imports formkit.docx,
forms, locate, read (to recognize an original) and the base modules; lxml is
used here for the template's XML.
"""
