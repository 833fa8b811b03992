"""The events offered to webhooks: those of the public topics.

The posting requests and their replies are left out: they are a request/reply conversation between one outside
system and the warehouse (a reply is meant for its requester alone), not facts about inventory; a system that
posts through webhooks' world posts over the warehouse's HTTP API and gets its answer there.
"""

from typing import Final

from inventory_contracts import ALL_EVENTS, EventSpec
from inventory_contracts.topics import CONSUMES

TOPICS: Final = CONSUMES["webhooks"]
EVENTS: Final[tuple[EventSpec, ...]] = tuple(spec for spec in ALL_EVENTS if spec.topic in TOPICS)
EVENT_TYPES: Final = frozenset(spec.type for spec in EVENTS)
