"""The Word layer: .docx packages in, a document model out, and filled packages written.

package (a safe zip: limits before inflating) and xmlsafe (no DTD, no
entities, no network) open what a user hands formkit; sniff says what a file
is when it is no .docx; reader, story, runs, plain, inline, styles and tables
read WordprocessingML into the frozen model (model), with repeats, strike and
ancestors for the checks made over the whole tree first; checkboxes and glyphs
turn box glyphs into Checkbox values; images reads pictures; writer writes
filled packages. Only formkit.errors and formkit.files are imported from
outside: everything above this layer sees the model, never the XML.
"""
