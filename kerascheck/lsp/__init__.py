"""The language server (``kerascheck server``): diagnostics as you type, hovers and inlay hints
with each layer's shapes, and the fixes as code actions. Needs ``pip install 'kerascheck[lsp]'``."""
