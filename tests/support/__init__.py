"""Shared test helpers: real servers, config files, mail and form builders, environments."""
