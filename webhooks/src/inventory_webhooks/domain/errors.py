"""Errors of the webhooks a client can act on."""

from servicekit.errors import NotFoundError, UnprocessableError


class SubscriptionNotFoundError(NotFoundError):
    """No subscription has this id."""

    slug, title = "subscription-not-found", "Subscription not found"


class DeliveryNotFoundError(NotFoundError):
    """No delivery has this id."""

    slug, title = "delivery-not-found", "Delivery not found"


class UnknownEventTypeError(UnprocessableError):
    """A subscription names an event type the system does not publish on a public topic."""

    slug, title = "unknown-event-type", "Unknown event type"
