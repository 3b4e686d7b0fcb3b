"""Cache or network: what a run needs, the one policy that settles it from the cache or the services,
and the second sources."""
