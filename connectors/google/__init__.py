"""Google Takeout connectors, one module per product."""
