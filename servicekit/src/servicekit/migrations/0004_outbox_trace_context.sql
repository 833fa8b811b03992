-- The W3C trace context of the request or event that wrote the row: the relay publishes later, in another
-- task, and sends it as the message's headers so that the consumer's work joins the same trace.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
