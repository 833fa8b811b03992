"""A web console for the people who run inventory: it reads and posts through the four APIs with the user's token."""
