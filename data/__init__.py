"""yigai's data: the reform vocabulary, jurisdictions, cleaning lists and sample documents (YAML/text)."""
