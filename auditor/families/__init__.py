"""Rule families: one module each, found by the registry, each exposing ``family``."""
