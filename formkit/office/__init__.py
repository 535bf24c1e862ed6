"""LibreOffice: legacy formats converted to .docx, and previews.

convert runs soffice headless (one throw-away profile per run, no network,
nothing left behind), sandbox gives it no network and safe settings, unlink
and unlink_rtf remove from its copy of a document everything that points
outside the file, preview renders PDF and PNG pages. Imports formkit.docx
(the package reader, to copy a document safely) and the base modules.
"""
