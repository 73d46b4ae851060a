"""yigai: read health-reform task lists and align local documents with the national one.

The flow reads one way: load -> clean -> split -> segment -> align -> coverage.
`yigai.documents.read_documents` runs the reading half for one path.
"""

__version__ = "0.1.0"
