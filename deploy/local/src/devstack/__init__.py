"""Brings up Kafka, PostgreSQL and the four services on this machine."""

from .stack import SERVICES, Stack, StackError

__all__ = ["SERVICES", "Stack", "StackError"]
