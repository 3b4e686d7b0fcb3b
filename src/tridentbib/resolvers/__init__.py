"""One resolver per upstream API, all behind :class:`~tridentbib.resolvers.interface.Resolver`."""

from tridentbib.resolvers.interface import Found, Missing, Resolver

__all__ = ["Found", "Missing", "Resolver"]
