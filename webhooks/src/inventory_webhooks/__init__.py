"""Webhooks: the public events of the inventory system, delivered over HTTP to systems without Kafka."""
