"""`psc lsp`: the language server. A thin layer over the loading and checks of `psc
validate` (the same findings), with the id index that navigation, rename and completion
need. Only `server` imports pygls; the other modules work on lsprotocol types and plain
data, so that they can be tested without a client."""
