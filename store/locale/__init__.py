"""The translations: each language's PO files (``<language>/*.po``, what translators edit) and
the catalogs compiled from them (``catalogs``, what the program reads)."""
