"""One module per command's output; each formatter turns a library result into text or a renderable."""
